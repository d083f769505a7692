using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using GroundTruth.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.ImportExport;

/// <summary>
/// Imports Label Studio JSON (an array of tasks, or one task) as one transaction. The file is streamed: one task is
/// parsed, validated and written at a time, through prepared statements. The first bad item rolls everything back.
/// </summary>
public sealed class LabelStudioImporter(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time)
{
    public async Task<ImportResult> ImportAsync(Actor actor, long projectId, Stream json, ImportOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ImportOptions();
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "import", ct);
        await db.OpenConnectionAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = SqliteTime.Now(time);
        await using var writer = await TaskWriter.CreateAsync(db, projectId, actor.Email, now, await ScoreKeeper.SettingsAsync(db, projectId, ct), ct);
        var parser = new LabelStudioTaskParser(options);

        int tasks = 0, annotations = 0, predictions = 0, groundTruths = 0, corrected = 0;
        await foreach (var (element, path) in ReadTasksAsync(json, () => tasks, ct))
        {
            var (task, wasCorrected) = parser.Parse(element, tasks, path);
            await writer.WriteAsync(task, ct);
            tasks++;
            annotations += task.Annotations.Count;
            predictions += task.Predictions.Count;
            groundTruths += task.Annotations.Count(a => a.KeepsGroundTruth);
            corrected += wasCorrected ? 1 : 0;
        }
        if (tasks == 0)
        {
            throw new ImportException(0, "$", "the file holds no tasks.");
        }
        await tx.CommitAsync(ct);
        return new ImportResult(tasks, annotations, predictions, groundTruths, corrected);
    }

    /// <summary>Yields each task of the file with its JSON path, holding one task in memory at a time.</summary>
    private static async IAsyncEnumerable<(JsonElement Task, string Path)> ReadTasksAsync(Stream json, Func<int> index, [EnumeratorCancellation] CancellationToken ct)
    {
        var (first, stream) = await PeekAsync(json, ct);
        if (first == '{')
        {
            JsonElement single;
            try
            {
                single = await JsonSerializer.DeserializeAsync<JsonElement>(stream, cancellationToken: ct);
            }
            catch (JsonException e)
            {
                throw new ImportException(0, e.Path ?? "$", "not valid JSON: " + e.Message);
            }
            yield return (single, "$");
            yield break;
        }
        if (first != '[')
        {
            throw new ImportException(0, "$", first < 0 ? "the file is empty." : "expected a task object or an array of tasks.");
        }

        await using var items = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: ct).GetAsyncEnumerator(ct);
        while (true)
        {
            JsonElement item;
            try
            {
                if (!await items.MoveNextAsync())
                {
                    yield break;
                }
                item = items.Current;
            }
            catch (JsonException e)
            {
                // The reader's own path is relative to the item it was reading; the item index is what locates it.
                throw new ImportException(index(), $"$[{index()}]", "not valid JSON: " + e.Message);
            }
            yield return (item, $"$[{index()}]");
        }
    }

    /// <summary>The first non-blank byte (-1 for an empty file) and a stream that still starts at the beginning.</summary>
    private static async Task<(int First, Stream Stream)> PeekAsync(Stream json, CancellationToken ct)
    {
        var prefix = new List<byte>();
        var one = new byte[1];
        while (await json.ReadAsync(one, ct) == 1)
        {
            prefix.Add(one[0]);
            if (one[0] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
            {
                return (one[0], new PrefixedStream([.. prefix.Where(b => b is not (0xEF or 0xBB or 0xBF))], json));
            }
        }
        return (-1, json);
    }

    /// <summary>Prepared INSERTs for tasks, annotations, predictions, members and history rows, reused for every task.</summary>
    private sealed class TaskWriter : IAsyncDisposable
    {
        private readonly DbCommand _task, _annotation, _prediction, _change, _findMember, _addMember;
        private readonly Dictionary<string, long> _members = new(StringComparer.Ordinal);
        private readonly DateTime _now;
        private readonly ScoringSettings _settings;
        private long _innerId;

        private TaskWriter(GroundTruthDbContext db, long projectId, string? importedBy, DateTime now, ScoringSettings settings, long lastInnerId)
        {
            _now = now;
            _settings = settings;
            _innerId = lastInnerId;
            _task = Prepare(db, """
                INSERT INTO tasks (project_id, external_id, inner_id, data, meta, extra, created_at, updated_at,
                  total_annotations, cancelled_annotations, total_predictions, has_ground_truth, agreement, min_accuracy)
                VALUES (@project, @external, @inner, @data, @meta, @extra, @created, @updated, 0, 0, 0, 0, @agreement, @min) RETURNING id
                """, "@project", "@external", "@inner", "@data", "@meta", "@extra", "@created", "@updated", "@agreement", "@min");
            _task.Parameters["@project"].Value = projectId;
            _annotation = Prepare(db, """
                INSERT INTO annotations (task_id, member_id, external_id, result, was_cancelled, ground_truth, created_at, updated_at, lead_time, extra, accuracy, breakdown)
                VALUES (@task, @member, @external, @result, @cancelled, @gt, @created, @updated, @lead, @extra, @accuracy, @breakdown) RETURNING id
                """, "@task", "@member", "@external", "@result", "@cancelled", "@gt", "@created", "@updated", "@lead", "@extra", "@accuracy", "@breakdown");
            _prediction = Prepare(db, """
                INSERT INTO predictions (task_id, external_id, model_version, score, result, created_at, extra, accuracy, breakdown)
                VALUES (@task, @external, @version, @score, @result, @created, @extra, @accuracy, @breakdown)
                """, "@task", "@external", "@version", "@score", "@result", "@created", "@extra", "@accuracy", "@breakdown");
            _change = Prepare(db, """
                INSERT INTO ground_truth_changes (task_id, annotation_id, previous_annotation_id, kind, source, changed_by, changed_at)
                VALUES (@task, @annotation, NULL, 'Set', 'Import', @by, @at)
                """, "@task", "@annotation", "@by", "@at");
            _change.Parameters["@by"].Value = (object?)importedBy ?? DBNull.Value;
            _change.Parameters["@at"].Value = SqliteTime.Format(now);
            _findMember = Prepare(db, "SELECT id FROM members WHERE email = @email", "@email");
            _addMember = Prepare(db, "INSERT INTO members (email, display_name) VALUES (@email, @name) RETURNING id", "@email", "@name");
        }

        public static async Task<TaskWriter> CreateAsync(GroundTruthDbContext db, long projectId, string? importedBy, DateTime now, ScoringSettings settings, CancellationToken ct)
        {
            await using var last = db.Command("SELECT COALESCE(MAX(inner_id), 0) FROM tasks WHERE project_id = @p", [new("@p", projectId)]);
            return new TaskWriter(db, projectId, importedBy, now, settings, await last.ScalarLongAsync(ct));
        }

        public async Task WriteAsync(ImportedTask task, CancellationToken ct)
        {
            // Scores are computed before the rows exist (by position) and written with them: one pass, no rescoring later.
            var scores = TaskScoring.Compute(
                task.Annotations.Select((a, i) => new ScoredAnnotation(i, a.WasCancelled, a.KeepsGroundTruth, a.Result)).ToList(),
                task.Predictions.Select((p, i) => new ScoredPrediction(i, p.Result)).ToList(),
                _settings);
            Set(_task, "@agreement", scores.Agreement);
            Set(_task, "@min", scores.MinAccuracy);
            Set(_task, "@external", task.ExternalId);
            Set(_task, "@inner", ++_innerId);
            Set(_task, "@data", task.Data);
            Set(_task, "@meta", task.Meta);
            Set(_task, "@extra", task.Extra);
            Set(_task, "@created", SqliteTime.Format(task.CreatedAt ?? _now));
            Set(_task, "@updated", SqliteTime.Format(task.UpdatedAt ?? task.CreatedAt ?? _now));
            var taskId = await _task.ScalarLongAsync(ct);

            for (var i = 0; i < task.Annotations.Count; i++)
            {
                var a = task.Annotations[i];
                Set(_annotation, "@accuracy", scores.Annotations[i].Accuracy);
                Set(_annotation, "@breakdown", scores.Annotations[i].Breakdown);
                Set(_annotation, "@task", taskId);
                Set(_annotation, "@member", await MemberAsync(a.Email, a.DisplayName, ct));
                Set(_annotation, "@external", a.ExternalId);
                Set(_annotation, "@result", a.Result);
                Set(_annotation, "@cancelled", a.WasCancelled);
                Set(_annotation, "@gt", a.KeepsGroundTruth);
                Set(_annotation, "@created", SqliteTime.Format(a.CreatedAt ?? _now));
                Set(_annotation, "@updated", SqliteTime.Format(a.UpdatedAt ?? a.CreatedAt ?? _now));
                Set(_annotation, "@lead", a.LeadTime);
                Set(_annotation, "@extra", a.Extra);
                var annotationId = await _annotation.ScalarLongAsync(ct);
                if (a.KeepsGroundTruth)
                {
                    Set(_change, "@task", taskId);
                    Set(_change, "@annotation", annotationId);
                    await _change.ExecuteNonQueryAsync(ct);
                }
            }

            for (var i = 0; i < task.Predictions.Count; i++)
            {
                var p = task.Predictions[i];
                Set(_prediction, "@accuracy", scores.Predictions[i].Accuracy);
                Set(_prediction, "@breakdown", scores.Predictions[i].Breakdown);
                Set(_prediction, "@task", taskId);
                Set(_prediction, "@external", p.ExternalId);
                Set(_prediction, "@version", p.ModelVersion);
                Set(_prediction, "@score", p.Score);
                Set(_prediction, "@result", p.Result);
                Set(_prediction, "@created", SqliteTime.Format(p.CreatedAt ?? _now));
                Set(_prediction, "@extra", p.Extra);
                await _prediction.ExecuteNonQueryAsync(ct);
            }
        }

        private async Task<long> MemberAsync(string email, string name, CancellationToken ct)
        {
            if (_members.TryGetValue(email, out var id))
            {
                return id;
            }
            Set(_findMember, "@email", email);
            var found = await _findMember.ExecuteScalarAsync(ct);
            if (found is long existing)
            {
                return _members[email] = existing;
            }
            Set(_addMember, "@email", email);
            Set(_addMember, "@name", name);
            return _members[email] = await _addMember.ScalarLongAsync(ct);
        }

        private static DbCommand Prepare(GroundTruthDbContext db, string sql, params string[] names)
        {
            var command = db.Command(sql);
            foreach (var name in names)
            {
                command.AddParameter(name, null);
            }
            command.Prepare();
            return command;
        }

        private static void Set(DbCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;

        public async ValueTask DisposeAsync()
        {
            foreach (var command in new[] { _task, _annotation, _prediction, _change, _findMember, _addMember })
            {
                await command.DisposeAsync();
            }
        }
    }
}

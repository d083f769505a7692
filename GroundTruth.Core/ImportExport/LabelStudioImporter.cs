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
    /// <summary>Tasks held at once: scored together on every core, then written in file order.</summary>
    private const int Batch = 256;

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

        int tasks = 0, annotations = 0, predictions = 0, groundTruths = 0, corrected = 0, replaced = 0;
        var pending = new List<ImportedTask>(Batch);
        await foreach (var (element, path) in ReadTasksAsync(json, () => tasks, ct))
        {
            var (task, wasCorrected) = parser.Parse(Repaired(element, ref replaced), tasks, path);
            pending.Add(task);
            if (pending.Count == Batch)
            {
                await writer.WriteAsync(pending, ct);
                pending.Clear();
            }
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
        await writer.WriteAsync(pending, ct);
        await tx.CommitAsync(ct);
        return new ImportResult(tasks, annotations, predictions, groundTruths, corrected, replaced);
    }

    /// <summary>The task with text that is not valid Unicode replaced by U+FFFD (<see cref="UnicodeRepair"/>), before anything reads it.</summary>
    private static JsonElement Repaired(JsonElement task, ref int replaced)
    {
        var repaired = UnicodeRepair.Repair(task, out var count);
        replaced += count;
        return repaired;
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
        private readonly DbCommand _task, _annotation, _annotationResult, _prediction, _sheet, _change, _findMember, _addMember;
        private readonly Dictionary<string, long> _members = new(StringComparer.Ordinal);
        private readonly DateTime _now;
        private readonly ScoringSettings _settings;
        private long _innerId;

        private TaskWriter(GroundTruthDbContext db, long projectId, string? importedBy, DateTime now, ScoringSettings settings, long lastInnerId)
        {
            _now = now;
            _settings = settings;
            _innerId = lastInnerId;
            _task = db.Prepare("""
                INSERT INTO tasks (project_id, external_id, inner_id, data, meta, extra, created_at, updated_at,
                  total_annotations, cancelled_annotations, total_predictions, has_ground_truth, agreement, min_accuracy)
                VALUES (@project, @external, @inner, @data, @meta, @extra, @created, @updated, 0, 0, 0, FALSE, @agreement, @min) RETURNING id
                """, "@project", "@external", "@inner", "@data", "@meta", "@extra", "@created", "@updated", "@agreement", "@min");
            _task.Parameters["@project"].Value = projectId;
            _annotation = db.Prepare("""
                INSERT INTO annotations (task_id, member_id, external_id, was_cancelled, ground_truth, created_at, updated_at, lead_time)
                VALUES (@task, @member, @external, @cancelled, @gt, @created, @updated, @lead) RETURNING id
                """, "@task", "@member", "@external", "@cancelled", "@gt", "@created", "@updated", "@lead");
            _annotationResult = db.Prepare("INSERT INTO annotation_results (id, result, extra) VALUES (@id, @result, @extra)", "@id", "@result", "@extra");
            _prediction = db.Prepare("""
                INSERT INTO predictions (task_id, external_id, model_version, score, result, created_at, extra)
                VALUES (@task, @external, @version, @score, @result, @created, @extra) RETURNING id
                """, "@task", "@external", "@version", "@score", "@result", "@created", "@extra");
            _sheet = db.Prepare($"INSERT INTO score_sheets (task_id, scores) VALUES (@task, {db.Dialect.Json("@scores")})", "@task", "@scores");
            _change = db.Prepare("""
                INSERT INTO ground_truth_changes (task_id, annotation_id, previous_annotation_id, kind, source, changed_by, changed_at)
                VALUES (@task, @annotation, NULL, 'Set', 'Import', @by, @at)
                """, "@task", "@annotation", "@by", "@at");
            _change.Parameters["@by"].Value = (object?)importedBy ?? DBNull.Value;
            _change.Parameters["@at"].Value = now;
            _findMember = db.Prepare("SELECT id FROM members WHERE email = @email", "@email");
            _addMember = db.Prepare("INSERT INTO members (email, display_name) VALUES (@email, @name) RETURNING id", "@email", "@name");
        }

        public static async Task<TaskWriter> CreateAsync(GroundTruthDbContext db, long projectId, string? importedBy, DateTime now, ScoringSettings settings, CancellationToken ct)
        {
            await using var last = db.Command("SELECT COALESCE(MAX(inner_id), 0) FROM tasks WHERE project_id = @p", [new("@p", projectId)]);
            return new TaskWriter(db, projectId, importedBy, now, settings, await last.ScalarLongAsync(ct));
        }

        public async Task WriteAsync(IReadOnlyList<ImportedTask> tasks, CancellationToken ct)
        {
            // Scores are computed before the rows exist (by position) and written with them: one pass, no rescoring later.
            var sheets = new ScoreSheet[tasks.Count];
            Parallel.For(0, tasks.Count, new ParallelOptions { CancellationToken = ct }, i => sheets[i] = ScoreSheet.Compute(
                tasks[i].Annotations.Select((a, j) => new ScoredAnnotation(j, a.WasCancelled, a.KeepsGroundTruth, a.Result)).ToList(),
                tasks[i].Predictions.Select((p, j) => new ScoredPrediction(j, p.Result)).ToList(),
                _settings));
            for (var i = 0; i < tasks.Count; i++)
            {
                await WriteAsync(tasks[i], sheets[i], ct);
            }
        }

        private async Task WriteAsync(ImportedTask task, ScoreSheet sheet, CancellationToken ct)
        {
            var groundTruth = task.Annotations.FindIndex(a => a.KeepsGroundTruth);
            _task.Set("@agreement", sheet.Agreement(_settings, groundTruth < 0 ? null : groundTruth));
            _task.Set("@min", groundTruth < 0 ? null : sheet.MinAccuracy(groundTruth));
            _task.Set("@external", task.ExternalId);
            _task.Set("@inner", ++_innerId);
            _task.Set("@data", task.Data);
            _task.Set("@meta", task.Meta);
            _task.Set("@extra", task.Extra);
            _task.Set("@created", task.CreatedAt ?? _now);
            _task.Set("@updated", task.UpdatedAt ?? task.CreatedAt ?? _now);
            var taskId = await _task.ScalarLongAsync(ct);

            var annotationIds = new long[task.Annotations.Count];
            for (var i = 0; i < task.Annotations.Count; i++)
            {
                var a = task.Annotations[i];
                _annotation.Set("@task", taskId);
                _annotation.Set("@member", await MemberAsync(a.Email, a.DisplayName, ct));
                _annotation.Set("@external", a.ExternalId);
                _annotation.Set("@cancelled", a.WasCancelled);
                _annotation.Set("@gt", a.KeepsGroundTruth);
                _annotation.Set("@created", a.CreatedAt ?? _now);
                _annotation.Set("@updated", a.UpdatedAt ?? a.CreatedAt ?? _now);
                _annotation.Set("@lead", a.LeadTime);
                var annotationId = annotationIds[i] = await _annotation.ScalarLongAsync(ct);
                _annotationResult.Set("@id", annotationId);
                _annotationResult.Set("@result", a.Result);
                _annotationResult.Set("@extra", a.Extra);
                await _annotationResult.ExecuteNonQueryAsync(ct);
                if (a.KeepsGroundTruth)
                {
                    _change.Set("@task", taskId);
                    _change.Set("@annotation", annotationId);
                    await _change.ExecuteNonQueryAsync(ct);
                }
            }

            var predictionIds = new long[task.Predictions.Count];
            for (var i = 0; i < task.Predictions.Count; i++)
            {
                var p = task.Predictions[i];
                _prediction.Set("@task", taskId);
                _prediction.Set("@external", p.ExternalId);
                _prediction.Set("@version", p.ModelVersion);
                _prediction.Set("@score", p.Score);
                _prediction.Set("@result", p.Result);
                _prediction.Set("@created", p.CreatedAt ?? _now);
                _prediction.Set("@extra", p.Extra);
                predictionIds[i] = await _prediction.ScalarLongAsync(ct);
            }
            _sheet.Set("@task", taskId);
            _sheet.Set("@scores", sheet.WithIds(i => annotationIds[i], i => predictionIds[i]).ToJson());
            await _sheet.ExecuteNonQueryAsync(ct);
        }

        private async Task<long> MemberAsync(string email, string name, CancellationToken ct)
        {
            if (_members.TryGetValue(email, out var id))
            {
                return id;
            }
            _findMember.Set("@email", email);
            var found = await _findMember.ExecuteScalarAsync(ct);
            if (found is long existing)
            {
                return _members[email] = existing;
            }
            _addMember.Set("@email", email);
            _addMember.Set("@name", name);
            return _members[email] = await _addMember.ScalarLongAsync(ct);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in new[] { _task, _annotation, _annotationResult, _prediction, _sheet, _change, _findMember, _addMember })
            {
                await command.DisposeAsync();
            }
        }
    }
}

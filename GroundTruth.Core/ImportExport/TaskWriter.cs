using System.Data.Common;
using GroundTruth.Core.Data;
using GroundTruth.Core.Scoring;

namespace GroundTruth.Core.ImportExport;

/// <summary>Prepared INSERTs for an import's tasks, annotations, predictions, members and history rows, reused for every task.</summary>
internal sealed class TaskWriter : IAsyncDisposable
{
    private readonly DbCommand _task, _annotation, _annotationResult, _prediction, _sheet, _change, _findMember, _addMember;
    private readonly Dictionary<string, long> _members = new(StringComparer.Ordinal);
    private readonly DateTime _now;
    private readonly ScoringSettings _settings;

    public TaskWriter(GroundTruthDbContext db, long projectId, string? importedBy, DateTime now, ScoringSettings settings)
    {
        _now = now;
        _settings = settings;
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
        // Two imports may add the same new annotator at once: the second waits for the first and then finds its row.
        _addMember = db.Prepare("INSERT INTO members (email, display_name) VALUES (@email, @name) ON CONFLICT (email) DO NOTHING RETURNING id", "@email", "@name");
    }

    /// <summary>Writes the tasks, each as number <c>InnerId</c> of the project.</summary>
    public async Task WriteAsync(IReadOnlyList<(long InnerId, ImportedTask Task)> tasks, CancellationToken ct)
    {
        // Scores are computed before the rows exist (by position) and written with them: one pass, no rescoring later.
        var sheets = new ScoreSheet[tasks.Count];
        Parallel.For(0, tasks.Count, new ParallelOptions { CancellationToken = ct }, i => sheets[i] = ScoreSheet.Compute(
            tasks[i].Task.Annotations.Select((a, j) => new ScoredAnnotation(j, a.WasCancelled, a.KeepsGroundTruth, a.Result)).ToList(),
            tasks[i].Task.Predictions.Select((p, j) => new ScoredPrediction(j, p.Result)).ToList(),
            _settings));
        for (var i = 0; i < tasks.Count; i++)
        {
            await WriteAsync(tasks[i].InnerId, tasks[i].Task, sheets[i], ct);
        }
    }

    private async Task WriteAsync(long innerId, ImportedTask task, ScoreSheet sheet, CancellationToken ct)
    {
        var groundTruth = task.Annotations.FindIndex(a => a.KeepsGroundTruth);
        _task.Set("@agreement", sheet.Agreement(_settings, groundTruth < 0 ? null : groundTruth));
        _task.Set("@min", groundTruth < 0 ? null : sheet.MinAccuracy(groundTruth));
        _task.Set("@external", task.ExternalId);
        _task.Set("@inner", innerId);
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
        if (await _findMember.ExecuteScalarAsync(ct) is long existing)
        {
            return _members[email] = existing;
        }
        _addMember.Set("@email", email);
        _addMember.Set("@name", name);
        if (await _addMember.ExecuteScalarAsync(ct) is long added)
        {
            return _members[email] = added;
        }
        return _members[email] = await _findMember.ScalarLongAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _task, _annotation, _annotationResult, _prediction, _sheet, _change, _findMember, _addMember })
        {
            await command.DisposeAsync();
        }
    }
}

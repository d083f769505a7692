using System.Data.Common;
using System.Text.Json;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Tasks;

/// <summary>Reads tasks: pages of a Data Manager query, and one task with its annotations and predictions.</summary>
public sealed class TaskQueryService(IDbContextFactory<GroundTruthDbContext> factory)
{
    public const int MaxPageSize = 1000;

    /// <summary>
    /// From this many matches a sorted page walks the sort column's index (about 50 × tasks / matches rows read)
    /// rather than sorting every match: at 1M tasks a filter matching them all went from 0.55 s to under 1 ms.
    /// </summary>
    private const int WalkOrderIndexFrom = 2000;

    /// <summary>What a page row reads: the registry's columns, and the ground truth's annotation for the review link and the API.</summary>
    private static readonly string RowColumns = TaskColumns.Select() + ", s.ground_truth_annotation_id AS ground_truth_annotation";

    /// <param name="sums">Also sum the annotations and predictions of every matching task (read from each task's row, so slower at scale).</param>
    public async Task<TaskPage> GetPageAsync(Actor actor, long projectId, TaskQuery? query, int page, int pageSize, CancellationToken ct = default, bool sums = false)
    {
        if (page < 1)
        {
            throw new TaskQueryException("page starts at 1.");
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new TaskQueryException($"page_size must be between 1 and {MaxPageSize}.");
        }
        GroundTruthVisibility.EnsureQueryAllowed(actor, query);
        await using var db = await factory.CreateDbContextAsync(ct);
        var compiled = TaskQueryCompiler.Compile(db.Dialect, projectId, query);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see tasks", ct);
        await db.OpenConnectionAsync(ct);

        int total;
        long? annotations = null, predictions = null;
        if (TaskQueryCompiler.CountedByTotals(query, out var groundTruth) && !(sums && groundTruth is not null))
        {
            // No filter but the ground truth's: the project's totals say how many tasks match, as a million rows are not counted.
            var totals = await ProjectTotals.ReadAsync(db, projectId, ct);
            total = checked((int)(groundTruth switch { true => totals.GroundTruths, false => totals.Tasks - totals.GroundTruths, null => totals.Tasks }));
            if (sums)
            {
                (annotations, predictions) = (totals.Annotations + totals.CancelledAnnotations, totals.Predictions);
            }
        }
        else
        {
            var summed = sums ? ", CAST(COALESCE(SUM(t.total_annotations + t.cancelled_annotations), 0) AS bigint), CAST(COALESCE(SUM(t.total_predictions), 0) AS bigint)" : "";
            await using var count = db.Command($"SELECT COUNT(*){summed} FROM {compiled.From} WHERE {compiled.Where}", compiled.Parameters);
            await using var counted = await count.ExecuteReaderAsync(ct);
            await counted.ReadAsync(ct);
            total = checked((int)counted.GetInt64(0));
            if (sums)
            {
                (annotations, predictions) = (counted.GetInt64(1), counted.GetInt64(2));
            }
        }

        if (total >= WalkOrderIndexFrom)
        {
            compiled = TaskQueryCompiler.Compile(db.Dialect, projectId, query, walkOrderIndex: true);
        }

        var rows = new List<TaskRow>(pageSize);
        var sees = GroundTruthVisibility.SeesGroundTruth(actor);
        await using (var select = db.Command($"SELECT {RowColumns} FROM {CompiledTaskQuery.TasksWithSheets} WHERE {compiled.Where} ORDER BY {compiled.OrderBy} LIMIT @limit OFFSET @offset", compiled.Parameters))
        {
            select.AddParameter("@limit", pageSize);
            select.AddParameter("@offset", (long)(page - 1) * pageSize);
            await using var reader = await select.ExecuteReaderAsync(ct);
            var at = reader.Ordinals();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new TaskRow(
                    Id: reader.GetInt64(at["id"]),
                    InnerId: reader.GetInt64(at["inner_id"]),
                    Data: ParseJson(reader.GetString(at["data"])),
                    TotalAnnotations: reader.GetInt32(at["total_annotations"]),
                    CancelledAnnotations: reader.GetInt32(at["cancelled_annotations"]),
                    TotalPredictions: reader.GetInt32(at["total_predictions"]),
                    GroundTruth: reader.GetBoolean(at["ground_truth"]),
                    GroundTruthAnnotation: sees ? reader.GetNullableInt64(at["ground_truth_annotation"]) : null,
                    GroundTruthBy: null,
                    Annotators: [],
                    CreatedAt: reader.GetUtcDateTime(at["created_at"]),
                    UpdatedAt: reader.GetUtcDateTime(at["updated_at"]),
                    Agreement: reader.GetNullableDouble(at["agreement"]),
                    Accuracy: sees ? reader.GetNullableDouble(at["accuracy"]) : null)
                {
                    CompletedAt = reader.GetNullableUtcDateTime(at["completed_at"]),
                    PredictionScore = reader.GetNullableDouble(at["predictions_score"]),
                });
            }
        }

        var ids = rows.Select(r => r.Id).ToList();
        var (annotators, groundTruthBy) = await PageAnnotatorsAsync(db, ids, ct);
        var tasks = rows.Select(r => r with
        {
            GroundTruthBy = sees ? groundTruthBy.GetValueOrDefault(r.Id) : null,
            Annotators = annotators.TryGetValue(r.Id, out var list) ? list : [],
        }).ToList();
        return new TaskPage(total, tasks, annotations, predictions);
    }

    /// <summary>The ids of every task a query and selection resolve to, in the query's order.</summary>
    public async Task<IReadOnlyList<long>> GetIdsAsync(Actor actor, long projectId, TaskQuery? query, TaskSelection? selection, CancellationToken ct = default)
    {
        GroundTruthVisibility.EnsureQueryAllowed(actor, query);
        await using var db = await factory.CreateDbContextAsync(ct);
        var compiled = TaskQueryCompiler.Compile(db.Dialect, projectId, query, selection);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see tasks", ct);
        await db.OpenConnectionAsync(ct);
        await using var select = db.Command($"SELECT t.id FROM {compiled.From} WHERE {compiled.Where} ORDER BY {compiled.OrderBy}", compiled.Parameters);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var ids = new List<long>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    public async Task<TaskDetail> GetTaskAsync(Actor actor, long taskId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var projectId = await Access.EnsureTaskAsync(db, actor, taskId, Role.Annotator, "see tasks", ct);
        return (await DetailsAsync(db, actor, projectId, [taskId], ct)).SingleOrDefault() ?? throw new NotFoundException("Task", taskId);
    }

    /// <summary>
    /// The tasks of a page with everything on them (Label Studio's <c>fields=all</c>), in the order given: four queries
    /// however many tasks, not four a task.
    /// </summary>
    public async Task<IReadOnlyList<TaskDetail>> GetTasksAsync(Actor actor, long projectId, IReadOnlyList<long> taskIds, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see tasks", ct);
        return await DetailsAsync(db, actor, projectId, taskIds, ct);
    }

    private static async Task<List<TaskDetail>> DetailsAsync(GroundTruthDbContext db, Actor actor, long projectId, IReadOnlyList<long> taskIds, CancellationToken ct)
    {
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.ProjectId == projectId && taskIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var annotations = (await db.Annotations.AsNoTracking().Where(a => taskIds.Contains(a.TaskId)).OrderBy(a => a.Id)
            .Select(a => new { a, a.Member!.Email, a.Member.DisplayName }).ToListAsync(ct)).ToLookup(x => x.a.TaskId);
        var predictions = (await db.Predictions.AsNoTracking().Where(p => taskIds.Contains(p.TaskId)).OrderBy(p => p.Id).ToListAsync(ct)).ToLookup(p => p.TaskId);
        var sheetRows = await db.ScoreSheets.AsNoTracking().Where(s => taskIds.Contains(s.TaskId)).ToDictionaryAsync(s => s.TaskId, ct);
        var comparisons = await db.Comparisons.AsNoTracking().Where(c => taskIds.Contains(c.TaskId)).ToDictionaryAsync(c => c.TaskId, c => c.Scores, ct);
        var sees = GroundTruthVisibility.SeesGroundTruth(actor);
        var details = new List<TaskDetail>(taskIds.Count);
        foreach (var taskId in taskIds)
        {
            if (!tasks.TryGetValue(taskId, out var task))
            {
                continue;
            }
            var row = sheetRows.GetValueOrDefault(taskId);
            var sheet = ScoreSheet.Parse(comparisons.GetValueOrDefault(taskId));
            var groundTruth = row?.GroundTruthAnnotationId;
            var views = new List<AnnotationView>();
            foreach (var x in annotations[taskId])
            {
                views.Add(await ViewAsync(db, actor, projectId, x.a, x.Email, x.DisplayName, groundTruth, sheet, ct));
            }
            details.Add(new TaskDetail(task.Id, task.ProjectId, task.InnerId, task.ExternalId, ParseJson(task.Data),
                task.Meta is null ? null : ParseJson(task.Meta), task.TotalAnnotations, task.CancelledAnnotations, task.TotalPredictions,
                groundTruth is not null, sees ? groundTruth : null, task.CreatedAt, task.UpdatedAt, row?.Agreement,
                sees ? row?.MinAccuracy : null, views,
                predictions[taskId].Select(p =>
                {
                    var score = sees && groundTruth is { } g ? sheet.PredictionAgainst(g, p.Id) : null;
                    return new PredictionView(p.Id, p.TaskId, projectId, p.ModelVersion, p.Score, ParseJson(p.Result), p.CreatedAt,
                        score?.Score, score is null ? null : ParseJson(Breakdown.ToJson(score)));
                }).ToList()));
        }
        return details;
    }

    /// <summary>One prediction, with its accuracy for those who may see it.</summary>
    public async Task<PredictionView> GetPredictionAsync(Actor actor, long predictionId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var projectId = await Access.EnsurePredictionAsync(db, actor, predictionId, Role.Annotator, "see predictions", ct);
        var taskId = await db.Predictions.Where(p => p.Id == predictionId).Select(p => p.TaskId).SingleAsync(ct);
        return (await DetailsAsync(db, actor, projectId, [taskId], ct)).Single().Predictions.Single(p => p.Id == predictionId);
    }

    /// <summary>
    /// Every prediction of a project in id order, streamed as it is read (a project can hold millions); without accuracy,
    /// which each task's answer carries. The access check runs before this returns.
    /// </summary>
    public async Task<IAsyncEnumerable<PredictionView>> ProjectPredictionsAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see predictions", ct);
        }
        return ReadPredictionsAsync(projectId, ct);
    }

    private async IAsyncEnumerable<PredictionView> ReadPredictionsAsync(long projectId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var predictions = db.Predictions.AsNoTracking().Where(p => db.Tasks.Any(t => t.Id == p.TaskId && t.ProjectId == projectId)).OrderBy(p => p.Id).AsAsyncEnumerable();
        await foreach (var p in predictions.WithCancellation(ct))
        {
            yield return new PredictionView(p.Id, p.TaskId, projectId, p.ModelVersion, p.Score, ParseJson(p.Result), p.CreatedAt, null, null);
        }
    }

    /// <summary>One annotation as <c>PATCH /api/annotations/{id}</c> returns it.</summary>
    public async Task<AnnotationView> GetAnnotationAsync(Actor actor, long annotationId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureAnnotationAsync(db, actor, annotationId, Role.Annotator, "see annotations", ct);
        var x = await db.Annotations.AsNoTracking().Where(a => a.Id == annotationId)
            .Select(a => new { a, a.Member!.Email, a.Member.DisplayName }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("Annotation", annotationId);
        var task = await db.Tasks.Where(t => t.Id == x.a.TaskId).Select(t => new { t.ProjectId, t.Sheet!.GroundTruthAnnotationId }).SingleAsync(ct);
        var sheet = task.GroundTruthAnnotationId is null ? ScoreSheet.Empty : await ScoreKeeper.SheetAsync(db, x.a.TaskId, ct);
        return await ViewAsync(db, actor, task.ProjectId, x.a, x.Email, x.DisplayName, task.GroundTruthAnnotationId, sheet, ct);
    }

    /// <summary>
    /// An annotation as the actor may see it (<see cref="GroundTruthVisibility"/>): reviewers and up see every flag and
    /// accuracy; an annotator sees no ground-truth flag and only their own accuracy — 1 with a breakdown of their result
    /// against itself when theirs is the ground truth, so that the answer does not tell them.
    /// </summary>
    private static async Task<AnnotationView> ViewAsync(GroundTruthDbContext db, Actor actor, long projectId, Model.Annotation a, string email, string displayName,
        long? groundTruth, ScoreSheet sheet, CancellationToken ct)
    {
        var sees = GroundTruthVisibility.SeesGroundTruth(actor);
        ResultScore? score = null;
        if (groundTruth is { } g && (sees || email == actor.Email))
        {
            score = a.Id == g
                ? sees ? null : ResultComparer.Compare(ParsedResult.Parse(a.Result), ParsedResult.Parse(a.Result), await ScoreKeeper.SettingsAsync(db, projectId, ct))
                : sheet.Against(g, a.Id);
        }
        return new AnnotationView(a.Id, a.TaskId, projectId, a.ExternalId, new MemberRef(a.MemberId, email, displayName), ParseJson(a.Result),
            a.WasCancelled, sees && a.GroundTruth, a.CreatedAt, a.UpdatedAt, a.LeadTime,
            score?.Score, score is null ? null : ParseJson(Breakdown.ToJson(score)));
    }

    /// <summary>
    /// The tasks before and after <paramref name="taskId"/> in a query's filter and order, for previous/next on the
    /// review page: two keyset lookups (LIMIT 1 each) instead of numbering the whole result. NULL sorts where the
    /// provider puts it (<see cref="SqlDialect.NullsFirst"/>: first on SQLite, last on PostgreSQL), as the grid's pages do.
    /// </summary>
    public async Task<TaskNeighbours> NeighboursAsync(Actor actor, long projectId, TaskQuery? query, long taskId, CancellationToken ct = default)
    {
        GroundTruthVisibility.EnsureQueryAllowed(actor, query);
        await using var db = await factory.CreateDbContextAsync(ct);
        var compiled = TaskQueryCompiler.Compile(db.Dialect, projectId, query);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see tasks", ct);
        await db.OpenConnectionAsync(ct);
        var parameters = compiled.Parameters.Append(new("@current", taskId)).ToList();
        var key = compiled.Keys[0];
        string after, before;
        if (key.Sql == "t.id")
        {
            (after, before) = ("t.id > @current", "t.id < @current");
        }
        else
        {
            object? value;
            await using (var read = db.Command($"SELECT {key.Sql} FROM {CompiledTaskQuery.TasksWithSheets} WHERE t.id = @current", parameters))
            {
                value = await read.ExecuteScalarAsync(ct);
            }
            // The current task's value, as a subquery (its own t) so that it keeps the key's SQL type on either provider.
            var current = $"(SELECT {key.Sql} FROM {CompiledTaskQuery.TasksWithSheets} WHERE t.id = @current)";
            var nullsFirst = db.Dialect.NullsFirst;
            if (value is null or DBNull)
            {
                after = nullsFirst ? $"(({key.Sql}) IS NULL AND t.id > @current OR ({key.Sql}) IS NOT NULL)" : $"(({key.Sql}) IS NULL AND t.id > @current)";
                before = nullsFirst ? $"(({key.Sql}) IS NULL AND t.id < @current)" : $"(({key.Sql}) IS NULL AND t.id < @current OR ({key.Sql}) IS NOT NULL)";
            }
            else
            {
                var nulls = $"({key.Sql}) IS NULL OR ";
                after = $"({(nullsFirst ? "" : nulls)}({key.Sql}) > {current} OR ({key.Sql}) = {current} AND t.id > @current)";
                before = $"({(nullsFirst ? nulls : "")}({key.Sql}) < {current} OR ({key.Sql}) = {current} AND t.id < @current)";
            }
        }
        var ascending = $"{key.Sql} ASC, t.id ASC";
        var descending = $"{key.Sql} DESC, t.id DESC";
        async Task<long?> FirstAsync(string condition, string order)
        {
            await using var command = db.Command($"SELECT t.id FROM {compiled.From} WHERE {compiled.Where} AND {condition} ORDER BY {order} LIMIT 1", parameters);
            return await command.ExecuteScalarAsync(ct) is long id ? id : null;
        }
        // Only the first key and id decide the order of the page's grid; further keys are Label Studio's and rare.
        return key.Descending
            ? new TaskNeighbours(await FirstAsync(after, ascending), await FirstAsync(before, descending))
            : new TaskNeighbours(await FirstAsync(before, descending), await FirstAsync(after, ascending));
    }

    /// <summary>
    /// What a selection holds, for the bulk-action dialogs: its task count, how many have a ground truth, and who
    /// annotated how many of them. Two set-based queries over the selection.
    /// </summary>
    public async Task<SelectionSummary> SelectionSummaryAsync(Actor actor, long projectId, TaskQuery? query, TaskSelection selection, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var compiled = TaskQueryCompiler.Compile(db.Dialect, projectId, query, selection);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see tasks", ct);
        await db.OpenConnectionAsync(ct);
        int tasks, withGroundTruth;
        await using (var count = db.Command($"SELECT COUNT(*), COUNT(*) FILTER (WHERE s.has_ground_truth) FROM {CompiledTaskQuery.TasksWithSheets} WHERE {compiled.Where}", compiled.Parameters))
        await using (var reader = await count.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (tasks, withGroundTruth) = (reader.GetCount(0), reader.GetCount(1));
        }
        var annotators = new List<AnnotatorCount>();
        await using (var select = db.Command(
            "SELECT m.id, m.email, m.display_name, c.tasks FROM (SELECT a.member_id, COUNT(DISTINCT a.task_id) AS tasks FROM annotations a " +
            $"WHERE a.was_cancelled = FALSE AND a.task_id IN (SELECT t.id FROM {compiled.From} WHERE {compiled.Where}) GROUP BY a.member_id) c " +
            "JOIN members m ON m.id = c.member_id ORDER BY c.tasks DESC, m.email", compiled.Parameters))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                annotators.Add(new AnnotatorCount(new MemberRef(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)), reader.GetCount(3)));
            }
        }
        return new SelectionSummary(tasks, withGroundTruth, annotators);
    }

    /// <summary>Everyone who annotated a task of the project, by email: the choices of an "annotators" filter.</summary>
    public async Task<IReadOnlyList<MemberRef>> AnnotatorsAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see tasks", ct);
        // Per member, the (member_id, task_id) index finds a first annotation in the project without scanning the project.
        return await db.Members.AsNoTracking()
            .Where(m => db.Annotations.Any(a => a.MemberId == m.Id && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId)))
            .OrderBy(m => m.Email)
            .Select(m => new MemberRef(m.Id, m.Email, m.DisplayName))
            .ToListAsync(ct);
    }

    private static async Task<(Dictionary<long, List<MemberRef>> Annotators, Dictionary<long, MemberRef> GroundTruthBy)> PageAnnotatorsAsync(
        GroundTruthDbContext db, List<long> taskIds, CancellationToken ct)
    {
        var result = new Dictionary<long, List<MemberRef>>();
        var groundTruthBy = new Dictionary<long, MemberRef>();
        if (taskIds.Count == 0)
        {
            return (result, groundTruthBy);
        }
        await using var command = db.Command(
            "SELECT a.task_id, m.id, m.email, m.display_name, a.ground_truth FROM annotations a JOIN members m ON m.id = a.member_id " +
            $"WHERE a.task_id IN ({db.Dialect.IdList("@ids")}) ORDER BY a.task_id, a.id",
            [new("@ids", db.Dialect.Ids(taskIds))]);
        await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var taskId = reader.GetInt64(0);
            if (!result.TryGetValue(taskId, out var list))
            {
                result[taskId] = list = [];
            }
            var memberId = reader.GetInt64(1);
            var member = list.Find(m => m.Id == memberId);
            if (member is null)
            {
                list.Add(member = new MemberRef(memberId, reader.GetString(2), reader.GetString(3)));
            }
            if (reader.GetBoolean(4))
            {
                groundTruthBy[taskId] = member;
            }
        }
        return (result, groundTruthBy);
    }

    /// <summary>Stored JSON as an element; text an older database holds that is not valid Unicode reads as U+FFFD.</summary>
    internal static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(UnicodeRepair.RepairJson(json));
        return document.RootElement.Clone();
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Tasks;

/// <summary>A saved view as read: Label Studio's <c>data</c> (title, filters, ordering, …) with its query already parsed.</summary>
public sealed record SavedViewRecord(long Id, long ProjectId, long? UserId, int? Order, JsonObject Data, TaskQuery Query)
{
    public string Title => Data["title"] is JsonValue title && title.TryGetValue<string>(out var text) ? text : $"Tab {Id}";
}

/// <summary>
/// A project's Data Manager tabs (Label Studio's views): every member reads them and filters the task list by one;
/// reviewers and up make, change and remove them. A view's filters and ordering are checked as a task query is when
/// saved, so a stored view always runs.
/// </summary>
public sealed class SavedViewService(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time)
{
    /// <summary>Longest <c>data</c> a view keeps, as JSON text: room for dozens of filters, not for a dump.</summary>
    public const int MaxDataLength = 64 * 1024;

    public async Task<IReadOnlyList<SavedViewRecord>> ListAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see this project's views", ct);
        var views = await db.SavedViews.AsNoTracking().Where(v => v.ProjectId == projectId)
            .OrderBy(v => v.Position == null).ThenBy(v => v.Position).ThenBy(v => v.Id).ToListAsync(ct);
        return [.. views.Select(Record)];
    }

    public async Task<SavedViewRecord> GetAsync(Actor actor, long viewId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var view = await FindAsync(db, actor, viewId, Role.Annotator, "see this view", ct);
        return Record(view);
    }

    public async Task<SavedViewRecord> CreateAsync(Actor actor, long projectId, JsonNode? data, int? order, CancellationToken ct = default)
    {
        var (text, _) = Checked(data);
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "save views", ct);
        var now = SqliteTime.Now(time);
        var view = new SavedView
        {
            ProjectId = projectId,
            UserId = actor.UserId == Actor.System.UserId ? null : actor.UserId,
            Position = order,
            Data = text,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.SavedViews.Add(view);
        await db.SaveChangesAsync(ct);
        return Record(view);
    }

    /// <summary>Replaces what is given: <paramref name="data"/> whole (Label Studio's PATCH does too), the order when <paramref name="setOrder"/>.</summary>
    public async Task<SavedViewRecord> UpdateAsync(Actor actor, long viewId, JsonNode? data, bool setData, int? order, bool setOrder, CancellationToken ct = default)
    {
        var text = setData ? Checked(data).Text : null;
        await using var db = await factory.CreateDbContextAsync(ct);
        var view = await FindAsync(db, actor, viewId, Role.Reviewer, "change views", ct, tracked: true);
        if (text is not null)
        {
            view.Data = text;
        }
        if (setOrder)
        {
            view.Position = order;
        }
        view.UpdatedAt = SqliteTime.Now(time);
        await db.SaveChangesAsync(ct);
        return Record(view);
    }

    public async Task DeleteAsync(Actor actor, long viewId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var view = await FindAsync(db, actor, viewId, Role.Reviewer, "delete views", ct);
        await db.SavedViews.Where(v => v.Id == view.Id).ExecuteDeleteAsync(ct);
    }

    private static async Task<SavedView> FindAsync(GroundTruthDbContext db, Actor actor, long viewId, Role needed, string action, CancellationToken ct, bool tracked = false)
    {
        var views = tracked ? db.SavedViews : db.SavedViews.AsNoTracking();
        var view = await views.SingleOrDefaultAsync(v => v.Id == viewId, ct) ?? throw new NotFoundException("View", viewId);
        try
        {
            await Access.EnsureProjectAsync(db, actor, view.ProjectId, needed, action, ct);
        }
        catch (NotFoundException)
        {
            // Someone outside the project learns nothing of the view, not even which project it belongs to.
            throw new NotFoundException("View", viewId);
        }
        return view;
    }

    private static SavedViewRecord Record(SavedView view)
    {
        var data = JsonNode.Parse(UnicodeRepair.RepairJson(view.Data)) as JsonObject ?? [];
        return new SavedViewRecord(view.Id, view.ProjectId, view.UserId, view.Position, data, QueryOf(data));
    }

    /// <summary>
    /// A view's <c>data</c> as stored, or a 400 naming the field that would make it fail later: not an object, a title
    /// that is not 1–200 characters of text, filters or an ordering the task query cannot run.
    /// </summary>
    public static (string Text, TaskQuery Query) Checked(JsonNode? data)
    {
        if (data is not null and not JsonObject)
        {
            throw new BadInputException("data must be an object: {\"title\", \"filters\", \"ordering\", …}.", "data");
        }
        var repaired = data is null ? "{}" : UnicodeRepair.RepairJson(data.ToJsonString());
        if (repaired.Length > MaxDataLength)
        {
            throw new BadInputException($"data is {repaired.Length:N0} characters of JSON; a view keeps at most {MaxDataLength:N0}.", "data");
        }
        var view = (JsonObject)JsonNode.Parse(repaired)!;
        if (view["title"] is { } title && (title.GetValueKind() != JsonValueKind.String || title.GetValue<string>().Trim().Length is 0 or > 200))
        {
            throw new BadInputException("data.title must be text of 1 to 200 characters.", "data.title");
        }
        if (view["filters"] is { } f && f is not JsonObject)
        {
            throw new BadInputException("data.filters must be {\"conjunction\": \"and\"|\"or\", \"items\": [...]}.", "data.filters");
        }
        if (view["ordering"] is { } o && (o is not JsonArray list || list.Any(e => e?.GetValueKind() != JsonValueKind.String)))
        {
            throw new BadInputException("data.ordering must be a list of columns such as \"-tasks:agreement\".", "data.ordering");
        }
        if (view["ground_truth"] is { } groundTruth && groundTruth.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new BadInputException("data.ground_truth must be true or false (or left out).", "data.ground_truth");
        }
        TaskQuery query;
        try
        {
            query = QueryOf(view);
        }
        catch (JsonException e)
        {
            throw new BadInputException($"data.filters must be {{\"conjunction\": \"and\"|\"or\", \"items\": [...]}} and data.ordering a list of columns: {e.Message}", "data.filters");
        }
        if (query.Filters is { } filters)
        {
            if (filters.Conjunction is not ("and" or "or") || filters.Items is null)
            {
                throw new BadInputException($"data.filters needs a conjunction ('and' or 'or', not '{filters.Conjunction}') and a list of items.", "data.filters");
            }
            for (var i = 0; i < filters.Items.Count; i++)
            {
                try
                {
                    TaskQueryCompiler.Check(i, filters.Items[i]);
                }
                catch (TaskQueryException e)
                {
                    throw new BadInputException(e.Message, "data.filters");
                }
            }
        }
        foreach (var entry in query.Ordering ?? [])
        {
            try
            {
                TaskQueryCompiler.CheckOrdering(entry);
            }
            catch (TaskQueryException e)
            {
                throw new BadInputException(e.Message, "data.ordering");
            }
        }
        return (repaired, query);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Label Studio's filters and ordering, and our <c>ground_truth</c> (the page's quick filter, as in <see cref="TaskQuery"/>).</summary>
    private static TaskQuery QueryOf(JsonObject data) => new(
        data["filters"] is JsonObject filters ? filters.Deserialize<TaskFilters>(Json) : null,
        data["ordering"] is JsonArray ordering ? ordering.Deserialize<List<string>>(Json) : null,
        data["ground_truth"]?.GetValueKind() switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null });
}

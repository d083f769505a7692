using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Components.DataManager;

namespace GroundTruth.Web.Components.Tasks;

/// <summary>
/// Everything that decides what the Data Manager shows, as it lives in the URL so that a view can be bookmarked and
/// shared: <c>?view=3&amp;gt=yes&amp;filters={...}&amp;sort=-agreement&amp;page=2&amp;size=100&amp;hidden=inner_id,completed_at</c>.
/// Defaults are left out of the URL.
/// </summary>
/// <param name="Hidden">
/// The grid's hidden columns when the URL decides them (an open tab's, <see cref="ColumnChoice.Names"/>; "" hides none);
/// null leaves them to the browser's stored choice, as All tasks does.
/// </param>
/// <param name="Tab">
/// The open tab (a saved view's id); null is All tasks. It travels with the rest, so the review page's way back and a
/// bookmark return to the tab, not only to what it shows.
/// </param>
public sealed record DataManagerView(bool? GroundTruth, TaskFilters? Filters, string? Sort, int Page, int Size, string? Hidden = null, long? Tab = null)
{
    public const int DefaultSize = 50;

    public static IReadOnlyList<int> Sizes { get; } = [25, 50, 100, 200];

    public static DataManagerView Default { get; } = new(null, null, null, 1, DefaultSize);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The task query this view shows (no paging).</summary>
    public TaskQuery Query => new(Filters, Sort is null ? null : [Ordering(Sort)], GroundTruth);

    /// <summary>The URL's <c>sort=-agreement</c> as Label Studio's ordering <c>-tasks:agreement</c>.</summary>
    private static string Ordering(string sort) => sort.StartsWith('-') ? "-tasks:" + sort[1..] : "tasks:" + sort;

    public int FilterCount => Filters?.Items.Count ?? 0;

    public string? FiltersJson => Filters is { Items.Count: > 0 } ? JsonSerializer.Serialize(Filters, Json) : null;

    /// <summary>The URL's query parameters of this view; null removes a parameter (it has its default).</summary>
    public IReadOnlyDictionary<string, object?> ToParameters() => new Dictionary<string, object?>
    {
        ["gt"] = GroundTruth switch { true => "yes", false => "no", null => null },
        ["filters"] = FiltersJson,
        ["sort"] = Sort,
        ["page"] = Page == 1 ? null : Page.ToString(CultureInfo.InvariantCulture),
        ["size"] = Size == DefaultSize ? null : Size.ToString(CultureInfo.InvariantCulture),
        ["hidden"] = Hidden,
        ["view"] = Tab?.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The view a saved tab opens: its filters, quick filter and first ordering, from page 1, and its hidden columns (the
    /// grid's default ones when it keeps no list, as a new tab in Label Studio starts).
    /// </summary>
    public static DataManagerView Opening(SavedViewRecord saved, int size) => new(saved.Query.GroundTruth,
        saved.Query.Filters is { Items.Count: > 0 } ? saved.Query.Filters : null,
        saved.Query.Ordering is [var first, ..] && first.TrimStart('-').StartsWith("tasks:", StringComparison.Ordinal)
            ? (first.StartsWith('-') ? "-" : "") + first.TrimStart('-')["tasks:".Length..] : null, 1, size,
        ColumnChoice.SavedHidden(saved.Data) ?? ColumnChoice.Names(ColumnChoice.Default.Hidden));

    /// <summary>Whether this view shows what <paramref name="other"/> shows: its tasks in its order, and its columns (paging aside).</summary>
    public bool SameAs(DataManagerView other) => FiltersJson == other.FiltersJson && Sort == other.Sort && GroundTruth == other.GroundTruth && Hidden == other.Hidden;

    /// <summary>
    /// A saved tab's data holding this view's filters, ordering, quick filter and hidden columns, the rest of
    /// <paramref name="saved"/> kept.
    /// </summary>
    public JsonObject SavedData(JsonObject saved)
    {
        var data = (JsonObject)saved.DeepClone();
        if (Hidden is not null)
        {
            ColumnChoice.WithSavedHidden(data, Hidden);
        }
        data["filters"] = FiltersJson is { } filters ? JsonNode.Parse(filters) : null;
        data["ordering"] = Sort is null ? null : new JsonArray(Ordering(Sort));
        data["ground_truth"] = GroundTruth;
        foreach (var empty in data.Where(p => p.Value is null && p.Key is "filters" or "ordering" or "ground_truth").Select(p => p.Key).ToList())
        {
            data.Remove(empty);
        }
        return data;
    }

    /// <summary>
    /// Reads a view from the URL's parameters. Whatever is invalid is left out, and each thing left out is described in
    /// <c>Problems</c>, so a bad bookmark shows the grid without it and says why instead of failing.
    /// </summary>
    public static (DataManagerView View, IReadOnlyList<string> Problems) Parse(string? gt, string? filters, string? sort, string? page, string? size, string? hidden = null,
        string? tab = null)
    {
        var problems = new List<string>();
        bool? groundTruth = gt switch
        {
            "yes" => true,
            "no" => false,
            _ => null,
        };
        if (gt is not (null or "" or "any" or "yes" or "no"))
        {
            problems.Add($"The ground truth filter '{gt}' is not one of any, yes, no; showing all tasks.");
        }

        var sortOk = sort;
        if (!string.IsNullOrEmpty(sort))
        {
            try
            {
                TaskQueryCompiler.CheckOrdering(Ordering(sort));
            }
            catch (TaskQueryException e)
            {
                problems.Add($"The sort order was left out. {e.Message}");
                sortOk = null;
            }
        }
        else
        {
            sortOk = null;
        }

        var pageNumber = 1;
        if (!string.IsNullOrEmpty(page) && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out pageNumber) || pageNumber < 1))
        {
            problems.Add($"The page '{page}' is not a page number; showing page 1.");
            pageNumber = 1;
        }
        var pageSize = DefaultSize;
        if (!string.IsNullOrEmpty(size) && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || !Sizes.Contains(pageSize)))
        {
            problems.Add($"The page size '{size}' is not one of {string.Join(", ", Sizes)}; showing {DefaultSize} a page.");
            pageSize = DefaultSize;
        }

        string? hiddenNames = null;
        if (hidden is not null)
        {
            var (known, unknown) = ColumnChoice.ParseNames(hidden);
            problems.AddRange(unknown.Select(name => $"The hidden column '{name}' is not one the grid can hide; it was left out."));
            hiddenNames = ColumnChoice.Names(known);
        }

        long? tabId = null;
        if (!string.IsNullOrEmpty(tab))
        {
            if (long.TryParse(tab, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                tabId = id;
            }
            else
            {
                problems.Add($"The view '{tab}' is not a view number; showing All tasks.");
            }
        }

        return (new DataManagerView(groundTruth, ParseFilters(filters, problems), sortOk, pageNumber, pageSize, hiddenNames, tabId), problems);
    }

    private static TaskFilters? ParseFilters(string? filters, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(filters))
        {
            return null;
        }
        TaskFilters? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<TaskFilters>(filters, Json);
        }
        catch (JsonException e)
        {
            problems.Add($"The filters were left out: they are not valid JSON of the shape {{\"conjunction\": \"and\", \"items\": [...]}} ({e.Message}).");
            return null;
        }
        if (parsed?.Items is null)
        {
            problems.Add("The filters were left out: they have no \"items\" list.");
            return null;
        }
        var conjunction = parsed.Conjunction?.ToLowerInvariant() ?? "and";
        if (conjunction is not ("and" or "or"))
        {
            problems.Add($"The filters' conjunction '{parsed.Conjunction}' is not and/or; using and.");
            conjunction = "and";
        }
        var kept = new List<TaskFilterItem>();
        for (var i = 0; i < parsed.Items.Count; i++)
        {
            try
            {
                var item = parsed.Items[i] ?? throw new TaskQueryException($"Filter {i + 1} is empty.");
                TaskQueryCompiler.Check(i, item);
                kept.Add(item);
            }
            catch (TaskQueryException e)
            {
                problems.Add($"{e.Message} This filter was left out.");
            }
        }
        return kept.Count == 0 ? null : new TaskFilters(conjunction, kept);
    }
}

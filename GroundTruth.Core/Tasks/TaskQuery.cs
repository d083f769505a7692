using System.Text.Json;
using System.Text.Json.Serialization;

namespace GroundTruth.Core.Tasks;

/// <summary>
/// Label Studio's Data Manager query: <c>{"filters": {...}, "ordering": ["-tasks:id"]}</c>. Our one addition,
/// <c>"ground_truth": true|false</c>, is the page's quick filter: it is ANDed with the filters whatever their conjunction.
/// </summary>
public sealed record TaskQuery(TaskFilters? Filters = null, IReadOnlyList<string>? Ordering = null, bool? GroundTruth = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static TaskQuery Empty { get; } = new();

    /// <summary>Parses the JSON of a query; malformed JSON is a <see cref="TaskQueryException"/>, not a crash.</summary>
    public static TaskQuery Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }
        try
        {
            return JsonSerializer.Deserialize<TaskQuery>(UnicodeRepair.RepairJson(json), Json) ?? Empty;
        }
        catch (JsonException e)
        {
            throw new TaskQueryException($"The query is not valid JSON of the shape {{\"filters\": {{\"conjunction\", \"items\"}}, \"ordering\": [..]}}: {e.Message}");
        }
    }
}

/// <summary>Filter items joined by one conjunction, "and" or "or".</summary>
public sealed record TaskFilters(string Conjunction, IReadOnlyList<TaskFilterItem> Items);

/// <summary>One filter row, e.g. <c>{"filter": "filter:tasks:ground_truth", "operator": "equal", "type": "Boolean", "value": true}</c>.</summary>
public sealed record TaskFilterItem(string Filter, string Operator, string Type, JsonElement Value);

/// <summary>
/// Which tasks, after the filters, an action or a page applies to: <c>{"all": false, "included": [ids]}</c> or
/// <c>{"all": true, "excluded": [ids]}</c>. Unlike Label Studio, <c>{"all": false, "included": []}</c> selects nothing.
/// </summary>
public sealed record TaskSelection(
    [property: JsonPropertyName("all")] bool All,
    [property: JsonPropertyName("included")] IReadOnlyList<long>? Included = null,
    [property: JsonPropertyName("excluded")] IReadOnlyList<long>? Excluded = null)
{
    public static TaskSelection Everything { get; } = new(true);
}

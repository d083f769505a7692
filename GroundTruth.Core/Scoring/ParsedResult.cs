using System.Text.Json;

namespace GroundTruth.Core.Scoring;

/// <summary>One item of a result list: its control, type, value and, for per-region items, the region it belongs to.</summary>
public sealed record ResultItem(string FromName, string Type, JsonElement Value, JsonElement Element)
{
    private Region? _region;
    private bool _regionRead;
    private IReadOnlyList<string>? _values;

    /// <summary>The categorical values the item holds (<see cref="ResultComparer.Values"/>), read once however many comparisons use them.</summary>
    public IReadOnlyList<string> Values => _values ??= [.. ResultComparer.Values(this, Type)];

    /// <summary>The item's region, read once however many comparisons use it; null when malformed.</summary>
    public Region? Region
    {
        get
        {
            if (!_regionRead)
            {
                _region = Scoring.Region.From(Element, Type);
                _regionRead = true;
            }
            return _region;
        }
    }
}

/// <summary>
/// A result list split for scoring: top-level items by control, and per-region items (with <c>parentID</c>, or sharing
/// a region's <c>id</c>) by the id of their region.
/// </summary>
public sealed record ParsedResult(
    IReadOnlyDictionary<string, IReadOnlyList<ResultItem>> Controls,
    IReadOnlyDictionary<string, IReadOnlyList<ResultItem>> Children)
{
    public static ParsedResult Empty { get; } = new(new Dictionary<string, IReadOnlyList<ResultItem>>(), new Dictionary<string, IReadOnlyList<ResultItem>>());

    public static ParsedResult Parse(string json)
    {
        JsonElement root;
        try
        {
            // One copy of the text, kept by the element (a document parsed and then cloned made two).
            root = JsonElement.Parse(UnicodeRepair.RepairJson(json));
        }
        catch (JsonException)
        {
            return Empty;
        }
        if (root.ValueKind != JsonValueKind.Array)
        {
            return Empty;
        }
        var items = new List<(ResultItem Item, string? Id, string? Parent)>();
        foreach (var element in root.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("from_name", out var from) || from.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
            {
                continue; // relations and malformed items take no part in scoring
            }
            var id = element.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            var parent = element.TryGetProperty("parentID", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            items.Add((new ResultItem(from.GetString()!, type.GetString()!, value, element), id, parent));
        }
        // Region ids: items of a region type that other items may belong to.
        var regionIds = items.Where(x => x.Id is not null && !ResultTypes.Of(x.Item.Type).PerRegion && x.Parent is null).Select(x => x.Id!).ToHashSet();
        // Built as they are kept (each list read-only from outside), not copied: a rescoring parses millions of them.
        var controls = new Dictionary<string, IReadOnlyList<ResultItem>>();
        var children = new Dictionary<string, IReadOnlyList<ResultItem>>();
        foreach (var (item, id, parent) in items)
        {
            var owner = parent ?? (id is not null && ResultTypes.Of(item.Type).PerRegion && regionIds.Contains(id) ? id : null);
            var target = owner is null ? controls : children;
            var key = owner ?? item.FromName;
            if (!target.TryGetValue(key, out var list))
            {
                target[key] = list = new List<ResultItem>();
            }
            ((List<ResultItem>)list).Add(item);
        }
        return new ParsedResult(controls, children);
    }
}

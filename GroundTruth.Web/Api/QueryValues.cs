using System.Globalization;
using GroundTruth.Core;

namespace GroundTruth.Web.Api;

/// <summary>Query parameters Label Studio's API shares between endpoints, read one way: a bad value is a 400 naming the parameter.</summary>
internal static class QueryValues
{
    /// <summary>Ids, repeated or comma-separated (<c>ids=1,2</c>, <c>ids[]=1&amp;ids[]=2</c>).</summary>
    public static List<long> Ids(IEnumerable<string?> values, string field, string what) =>
        [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(v =>
            long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw new BadInputException($"{field} must be {what} ids, not '{v}'.", field))];

    /// <summary>The ids of a parameter, or null when it is absent (which means all).</summary>
    public static List<long>? OptionalIds(HttpRequest request, string field, string what) =>
        request.Query[field].Concat(request.Query[field + "[]"]).ToList() is { Count: > 0 } given ? Ids(given, field, what) : null;

    /// <summary>A boolean as Label Studio's clients send it: true/false (any case) or 1/0; absent is false.</summary>
    public static bool Flag(HttpRequest request, string field) => request.Query[field].FirstOrDefault() switch
    {
        null or "" => false,
        var v when v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1" => true,
        var v when v.Equals("false", StringComparison.OrdinalIgnoreCase) || v == "0" => false,
        var v => throw new BadInputException($"{field} must be true or false, not '{v}'.", field),
    };
}

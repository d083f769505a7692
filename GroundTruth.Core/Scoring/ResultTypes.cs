namespace GroundTruth.Core.Scoring;

/// <summary>How a result type is compared (<c>metrics.md</c>).</summary>
public enum ResultKind
{
    /// <summary>A set of values: Jaccard.</summary>
    Classification,

    /// <summary>A number: equal within the project's tolerance.</summary>
    Number,

    /// <summary>Texts: paired Levenshtein similarity.</summary>
    Text,

    /// <summary>Regions: matched one-to-one on overlap.</summary>
    Region,

    /// <summary>A type this table does not know: deep equality.</summary>
    Unknown,
}

/// <summary>What a region marks: it decides how the region is parsed and overlapped, and how the review page draws it.</summary>
public enum RegionKind
{
    /// <summary>Character offsets into a text (<c>start</c>, <c>end</c>).</summary>
    TextSpan,

    /// <summary>A span of a document addressed by element and offset (XPath or paragraph).</summary>
    DocumentSpan,

    /// <summary>An interval of a time series (numbers or timestamps).</summary>
    TimeSpan,

    Box,
    Polygon,
    Ellipse,
    Keypoint,

    /// <summary>A brush mask in Label Studio's RLE.</summary>
    Mask,
}

/// <summary>
/// One Label Studio result type: the control tag that writes it (the name Label Studio's flat exports give its values),
/// the key of <c>value</c> that holds its labels or its value, how it is scored, what it
/// marks if it is a region, whether it can belong to a region (a per-region classification), and whether its value is
/// a number (compared by value: 4 and 4.0 are one rating).
/// </summary>
public sealed record ResultType(string Name, string Tag, string ValueKey, ResultKind Kind, RegionKind? Region = null, bool PerRegion = false, bool Numeric = false);

/// <summary>
/// Every Label Studio result type we know, in one table that scoring (comparers, region parsing, per-region items) and
/// the review page's drawing both read. A type not in it is scored by deep equality and shown as JSON.
/// </summary>
public static class ResultTypes
{
    private static readonly Dictionary<string, ResultType> Table = new ResultType[]
    {
        new("choices", "Choices", "choices", ResultKind.Classification, PerRegion: true),
        new("taxonomy", "Taxonomy", "taxonomy", ResultKind.Classification, PerRegion: true),
        new("datetime", "DateTime", "datetime", ResultKind.Classification, PerRegion: true),
        new("rating", "Rating", "rating", ResultKind.Classification, PerRegion: true, Numeric: true),
        new("pairwise", "Pairwise", "selected", ResultKind.Classification),
        new("number", "Number", "number", ResultKind.Number, PerRegion: true, Numeric: true),
        new("textarea", "TextArea", "text", ResultKind.Text, PerRegion: true),
        new("labels", "Labels", "labels", ResultKind.Region, RegionKind.TextSpan),
        new("hypertextlabels", "HyperTextLabels", "hypertextlabels", ResultKind.Region, RegionKind.DocumentSpan),
        new("paragraphlabels", "ParagraphLabels", "paragraphlabels", ResultKind.Region, RegionKind.DocumentSpan),
        new("timeserieslabels", "TimeSeriesLabels", "timeserieslabels", ResultKind.Region, RegionKind.TimeSpan),
        new("rectanglelabels", "RectangleLabels", "rectanglelabels", ResultKind.Region, RegionKind.Box),
        new("rectangle", "Rectangle", "rectangle", ResultKind.Region, RegionKind.Box),
        new("polygonlabels", "PolygonLabels", "polygonlabels", ResultKind.Region, RegionKind.Polygon),
        new("polygon", "Polygon", "polygon", ResultKind.Region, RegionKind.Polygon),
        new("ellipselabels", "EllipseLabels", "ellipselabels", ResultKind.Region, RegionKind.Ellipse),
        new("ellipse", "Ellipse", "ellipse", ResultKind.Region, RegionKind.Ellipse),
        new("keypointlabels", "KeyPointLabels", "keypointlabels", ResultKind.Region, RegionKind.Keypoint),
        new("keypoint", "KeyPoint", "keypoint", ResultKind.Region, RegionKind.Keypoint),
        new("brushlabels", "BrushLabels", "brushlabels", ResultKind.Region, RegionKind.Mask),
        new("brush", "Brush", "brush", ResultKind.Region, RegionKind.Mask),
        // Buckets of ids: equal or not.
        new("ranker", "Ranker", "ranker", ResultKind.Unknown),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static IEnumerable<ResultType> All => Table.Values;

    /// <summary>The type of that name; an unknown name is <see cref="ResultKind.Unknown"/>, its value key the name itself.</summary>
    public static ResultType Of(string name) => Table.TryGetValue(name, out var type) ? type : new ResultType(name, name, name, ResultKind.Unknown);
}

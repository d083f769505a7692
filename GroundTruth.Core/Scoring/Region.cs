using System.Globalization;
using System.Text.Json;

namespace GroundTruth.Core.Scoring;

/// <summary>A shape a region occupies; overlap is defined between shapes of the same kind and is 0 otherwise.</summary>
public abstract record Shape
{
    public abstract double OverlapWith(Shape other, ScoringSettings settings);
}

/// <summary>A span [start, end) on one axis: characters, paragraph positions, time.</summary>
public sealed record SpanShape(double Start, double End, string Scope = "") : Shape
{
    public override double OverlapWith(Shape other, ScoringSettings settings) => other is SpanShape s && s.Scope == Scope
        ? (End == Start || s.End == s.Start ? (Start == s.Start && End == s.End ? 1 : 0) : Overlap.Interval(Start, End, s.Start, s.End))
        : 0;
}

public sealed record BoxShape(RotatedBox Box) : Shape
{
    private NetTopologySuite.Geometries.Geometry? _polygon;

    /// <summary>The box as a polygon, built once.</summary>
    public NetTopologySuite.Geometries.Geometry? Polygon => _polygon ??= Overlap.ToPolygon(Box.Corners());

    public override double OverlapWith(Shape other, ScoringSettings settings) => other switch
    {
        BoxShape b when Box.Rotation % 360 == 0 && b.Box.Rotation % 360 == 0 => Overlap.Rectangle(Box, b.Box),
        BoxShape b => Overlap.Polygon(Polygon, b.Polygon),
        PolygonShape p => Overlap.Polygon(Polygon, p.Polygon),
        _ => 0,
    };
}

public sealed record PolygonShape(IReadOnlyList<(double X, double Y)> Points) : Shape
{
    private NetTopologySuite.Geometries.Geometry? _polygon;
    private bool _built;

    /// <summary>The polygon, validated (and repaired) once however many comparisons use it.</summary>
    public NetTopologySuite.Geometries.Geometry? Polygon
    {
        get
        {
            if (!_built)
            {
                _polygon = Overlap.ToPolygon(Points);
                _built = true;
            }
            return _polygon;
        }
    }

    public override double OverlapWith(Shape other, ScoringSettings settings) => other switch
    {
        PolygonShape p => Overlap.Polygon(Polygon, p.Polygon),
        BoxShape b => Overlap.Polygon(Polygon, b.Polygon),
        _ => 0,
    };
}

/// <summary>
/// A keypoint at (X, Y) percent of its image, which is <c>Width</c> × <c>Height</c> pixels when the result says so.
/// Overlap is the object keypoint similarity exp(−d² / 2σ²), point by point (not a pose). Two points on an image of the
/// same known size are measured in pixels, so a non-square image is not stretched, and σ is then a percentage of the
/// image's mean side √(width × height); otherwise d and σ are in percent of the image, as before (the same on a square one).
/// </summary>
public sealed record PointShape(double X, double Y, double? Width = null, double? Height = null) : Shape
{
    public override double OverlapWith(Shape other, ScoringSettings settings)
    {
        if (other is not PointShape p)
        {
            return 0;
        }
        var (sx, sy, sigma) = Width is { } w && Height is { } h && p.Width == w && p.Height == h
            ? (w / 100, h / 100, settings.KeypointSigma * Math.Sqrt(w * h) / 100)
            : (1.0, 1.0, settings.KeypointSigma);
        var (dx, dy) = ((X - p.X) * sx, (Y - p.Y) * sy);
        return Math.Exp(-((dx * dx) + (dy * dy)) / (2 * sigma * sigma));
    }
}

/// <summary>A brush mask; overlap is the IoU of the pixels.</summary>
public sealed record MaskShape(System.Collections.BitArray Mask, int Width, int Height) : Shape
{
    /// <summary>
    /// Masks of different sizes (the same image exported at two resolutions) are compared on the larger one's grid, the
    /// smaller scaled up nearest-neighbour: whichever side is the ground truth, the pair gets one score, as the score
    /// sheet keeps one per pair.
    /// </summary>
    public override double OverlapWith(Shape other, ScoringSettings settings)
    {
        if (other is not MaskShape m)
        {
            return 0;
        }
        var (large, small) = (long)m.Width * m.Height > (long)Width * Height ? (m, this) : (this, m);
        int intersection = 0, union = 0;
        for (var y = 0; y < large.Height; y++)
        {
            var row = (int)((long)y * small.Height / large.Height) * small.Width;
            for (var x = 0; x < large.Width; x++)
            {
                var (a, b) = (large.Mask[(y * large.Width) + x], small.Mask[row + (int)((long)x * small.Width / large.Width)]);
                intersection += a && b ? 1 : 0;
                union += a || b ? 1 : 0;
            }
        }
        return union == 0 ? 0 : (double)intersection / union;
    }
}

/// <summary>One region of a result: its id, sorted labels and shape.</summary>
public sealed record Region(string? Id, IReadOnlyList<string> Labels, Shape Shape)
{
    public bool SameLabels(Region other) => Labels.SequenceEqual(other.Labels, StringComparer.Ordinal);

    /// <summary>The region a result item describes, or null when its value is malformed (it is then counted as invalid).</summary>
    public static Region? From(JsonElement item, string type)
    {
        if (!item.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var id = item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        var resultType = ResultTypes.Of(type);
        var labels = value.TryGetProperty(resultType.ValueKey, out var list) && list.ValueKind == JsonValueKind.Array ? SortedLabels(list) : [];
        var shape = resultType.Region switch
        {
            null => null,
            RegionKind.Mask => BrushMask.From(item) is { } brush ? new MaskShape(brush.Mask, brush.Width, brush.Height) : null,
            RegionKind.Keypoint when ShapeOf(value, RegionKind.Keypoint) is PointShape point && Number(item, "original_width") is > 0 and var width
                && Number(item, "original_height") is > 0 and var height => point with { Width = width, Height = height },
            var kind => ShapeOf(value, kind.Value),
        };
        return shape is null ? null : new Region(id, labels, shape);
    }

    /// <summary>A region's labels, sorted (a list and an in-place sort: a region is read for every task a rescoring scores).</summary>
    private static List<string> SortedLabels(JsonElement list)
    {
        var labels = new List<string>(list.GetArrayLength());
        foreach (var label in list.EnumerateArray())
        {
            if (label.ValueKind == JsonValueKind.String)
            {
                labels.Add(label.GetString()!);
            }
        }
        labels.Sort(StringComparer.Ordinal);
        return labels;
    }

    private static Shape? ShapeOf(JsonElement v, RegionKind kind)
    {
        switch (kind)
        {
            case RegionKind.TextSpan:
                return Number(v, "start") is { } s && Number(v, "end") is { } e && e > s ? new SpanShape(s, e) : null;
            case RegionKind.DocumentSpan:
                {
                    // Positions are (element, offset); a span is comparable with another inside the same start and end elements.
                    var start = Text(v, "start");
                    var end = Text(v, "end");
                    var so = Number(v, "startOffset");
                    var eo = Number(v, "endOffset");
                    if (start is null || end is null || so is null || eo is null)
                    {
                        return null;
                    }
                    // Paragraphs are numbered; an XPath never reads as a number.
                    if (double.TryParse(start, CultureInfo.InvariantCulture, out var ps) && double.TryParse(end, CultureInfo.InvariantCulture, out var pe))
                    {
                        const double paragraph = 1e7;
                        var (a, b) = ((ps * paragraph) + so.Value, (pe * paragraph) + eo.Value);
                        return b > a ? new SpanShape(a, b) : null;
                    }
                    // Across elements, the end offset is in a later element: shift it past any offset of the first.
                    const double element = 1e7;
                    var scope = start + "|" + end;
                    return start == end
                        ? (eo > so ? new SpanShape(so.Value, eo.Value, scope) : null)
                        : new SpanShape(so.Value, eo.Value + element, scope);
                }
            case RegionKind.TimeSpan:
                {
                    var from = Instant(v, "start");
                    var to = Instant(v, "end");
                    if (from is null)
                    {
                        return null;
                    }
                    var instant = v.TryGetProperty("instant", out var i) && i.ValueKind == JsonValueKind.True;
                    to = instant ? from : to;
                    return to is null || to < from ? null : new SpanShape(from.Value, to.Value);
                }
            case RegionKind.Box:
                return Number(v, "x") is { } x && Number(v, "y") is { } y && Number(v, "width") is { } w && Number(v, "height") is { } h && w > 0 && h > 0
                    ? new BoxShape(new RotatedBox(x, y, w, h, Number(v, "rotation") ?? 0))
                    : null;
            case RegionKind.Polygon:
                {
                    if (!v.TryGetProperty("points", out var points) || points.ValueKind != JsonValueKind.Array)
                    {
                        return null;
                    }
                    var list = new List<(double, double)>();
                    foreach (var p in points.EnumerateArray())
                    {
                        if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() < 2 || !Finite(p[0], out var px) || !Finite(p[1], out var py))
                        {
                            return null;
                        }
                        list.Add((px, py));
                    }
                    return list.Count >= 3 ? new PolygonShape(list) : null;
                }
            case RegionKind.Ellipse:
                {
                    if (Number(v, "x") is not { } cx || Number(v, "y") is not { } cy || Number(v, "radiusX") is not { } rx || Number(v, "radiusY") is not { } ry || rx <= 0 || ry <= 0)
                    {
                        return null;
                    }
                    var rotation = (Number(v, "rotation") ?? 0) * Math.PI / 180;
                    const int sides = 64;
                    var ring = Enumerable.Range(0, sides).Select(k =>
                    {
                        var t = 2 * Math.PI * k / sides;
                        var (dx, dy) = (rx * Math.Cos(t), ry * Math.Sin(t));
                        return (cx + (dx * Math.Cos(rotation)) - (dy * Math.Sin(rotation)), cy + (dx * Math.Sin(rotation)) + (dy * Math.Cos(rotation)));
                    }).ToList();
                    return new PolygonShape(ring);
                }
            case RegionKind.Keypoint:
                return Number(v, "x") is { } kx && Number(v, "y") is { } ky ? new PointShape(kx, ky) : null;
            default:
                return null;
        }
    }

    private static double? Number(JsonElement v, string name) =>
        v.TryGetProperty(name, out var e) && Finite(e, out var d) ? d : null;

    private static bool Finite(JsonElement e, out double value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out value) && double.IsFinite(value);
    }

    private static string? Text(JsonElement v, string name) => v.TryGetProperty(name, out var e)
        ? e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            _ => null,
        }
        : null;

    private static double? Instant(JsonElement v, string name)
    {
        if (!v.TryGetProperty(name, out var e))
        {
            return null;
        }
        if (Finite(e, out var d))
        {
            return d;
        }
        return e.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUnixTimeMilliseconds()
            : null;
    }
}

using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;

namespace GroundTruth.Core.Scoring;

/// <summary>Intersection over union for the region shapes: spans, axis-aligned and rotated boxes, polygons.</summary>
public static partial class Overlap
{
    private static readonly GeometryFactory Geometry = new();

    /// <summary>IoU of two half-open intervals [start, end). Empty or inverted intervals overlap nothing.</summary>
    public static double Interval(double startA, double endA, double startB, double endB)
    {
        if (!(endA > startA) || !(endB > startB))
        {
            return 0;
        }
        var intersection = Math.Max(0, Math.Min(endA, endB) - Math.Max(startA, startB));
        var union = (endA - startA) + (endB - startB) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /// <summary>IoU of the sets of whitespace-separated tokens each span touches.</summary>
    public static double Tokens(string text, int startA, int endA, int startB, int endB)
    {
        var tokens = Token().Matches(text).Select(m => (m.Index, End: m.Index + m.Length)).ToList();
        var a = tokens.Where(t => t.Index < endA && t.End > startA).ToHashSet();
        var b = tokens.Where(t => t.Index < endB && t.End > startB).ToHashSet();
        return SetSimilarity.Jaccard(a, b);
    }

    /// <summary>IoU of two axis-aligned boxes given as [x1, y1, x2, y2].</summary>
    public static double Box(double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2, double by2)
    {
        var areaA = Math.Max(0, ax2 - ax1) * Math.Max(0, ay2 - ay1);
        var areaB = Math.Max(0, bx2 - bx1) * Math.Max(0, by2 - by1);
        var intersection = Math.Max(0, Math.Min(ax2, bx2) - Math.Max(ax1, bx1)) * Math.Max(0, Math.Min(ay2, by2) - Math.Max(ay1, by1));
        var union = areaA + areaB - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /// <summary>
    /// IoU of two Label Studio rectangles (x, y, width, height; rotation in degrees clockwise about the top-left corner).
    /// Without rotation this is <see cref="Box"/>; with it, the exact polygon intersection.
    /// </summary>
    public static double Rectangle(RotatedBox a, RotatedBox b) =>
        a.Rotation % 360 == 0 && b.Rotation % 360 == 0
            ? Box(a.X, a.Y, a.X + a.Width, a.Y + a.Height, b.X, b.Y, b.X + b.Width, b.Y + b.Height)
            : Polygon(a.Corners(), b.Corners());

    /// <summary>IoU of two simple polygons given by their vertices; an invalid (self-intersecting) polygon is repaired first.</summary>
    public static double Polygon(IReadOnlyList<(double X, double Y)> a, IReadOnlyList<(double X, double Y)> b) =>
        Polygon(ToPolygon(a), ToPolygon(b));

    /// <summary>IoU of two prepared polygons (null: degenerate); disjoint bounding boxes skip the intersection.</summary>
    public static double Polygon(Geometry? pa, Geometry? pb)
    {
        if (pa is null || pb is null || !pa.EnvelopeInternal.Intersects(pb.EnvelopeInternal))
        {
            return 0;
        }
        var intersection = pa.Intersection(pb).Area;
        var union = pa.Area + pb.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /// <summary>A valid polygon from vertices (repaired if self-intersecting), or null when it has no area.</summary>
    public static Geometry? ToPolygon(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 3)
        {
            return null;
        }
        var ring = points.Select(p => new Coordinate(p.X, p.Y)).Append(new Coordinate(points[0].X, points[0].Y)).ToArray();
        Geometry polygon = Geometry.CreatePolygon(ring);
        if (!polygon.IsValid)
        {
            polygon = NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(polygon);
        }
        return polygon.Area > 0 ? polygon : null;
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex Token();
}

/// <summary>A Label Studio rectangle in percent of the image, rotated clockwise about its top-left corner.</summary>
public readonly record struct RotatedBox(double X, double Y, double Width, double Height, double Rotation = 0)
{
    public IReadOnlyList<(double X, double Y)> Corners()
    {
        var radians = Rotation * Math.PI / 180;
        var (cos, sin) = (Math.Cos(radians), Math.Sin(radians));
        var (x, y) = (X, Y);
        (double, double) Turn(double dx, double dy) => (x + (dx * cos) - (dy * sin), y + (dx * sin) + (dy * cos));
        return [Turn(0, 0), Turn(Width, 0), Turn(Width, Height), Turn(0, Height)];
    }
}

using System.Globalization;
using System.Text.Json;
using GroundTruth.Core.Scoring;

namespace GroundTruth.Web.Components.Results;

/// <summary>A labelled span of the task's text.</summary>
public sealed record SpanMark(int Start, int End, string Label, string? Id = null);

/// <summary>A shape on an image in the image's pixels: rectangle (with rotation about its top-left corner), polygon, ellipse or keypoint.</summary>
public sealed record ImageMark(RegionKind Kind, string Label, double X, double Y, double Width, double Height, double Rotation, IReadOnlyList<(double X, double Y)> Points, string? Id = null, string? Path = null);

/// <summary>One part of an annotation as the review page draws it.</summary>
public abstract record ResultPart(string FromName);

public sealed record TextPart(string FromName, string Text, IReadOnlyList<SpanMark> Spans) : ResultPart(FromName);

public sealed record ImagePart(string FromName, string Url, double Width, double Height, IReadOnlyList<ImageMark> Marks) : ResultPart(FromName);

public sealed record ValuesPart(string FromName, string Type, IReadOnlyList<string> Values) : ResultPart(FromName);

public sealed record JsonPart(string FromName, string Type, string Json) : ResultPart(FromName);

/// <summary>
/// Groups a Label Studio result list into what the review page draws: spans over the text they label, shapes over the
/// image they mark (percentages turned into the image's pixels), classifications and texts as values, anything else as
/// formatted JSON. Malformed values are drawn as JSON rather than failing the page.
/// </summary>
public static class ResultDisplay
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IReadOnlyList<ResultPart> Parts(JsonElement result, JsonElement data)
    {
        var parts = new List<ResultPart>();
        var texts = new Dictionary<string, (string Text, List<SpanMark> Spans)>(StringComparer.Ordinal);
        var images = new Dictionary<string, (string Url, double Width, double Height, List<ImageMark> Marks)>(StringComparer.Ordinal);
        if (result.ValueKind != JsonValueKind.Array)
        {
            return [new JsonPart("result", "unknown", Pretty(result))];
        }
        foreach (var item in result.EnumerateArray())
        {
            var type = Text(item, "type") ?? "unknown";
            var resultType = ResultTypes.Of(type);
            var fromName = Text(item, "from_name") ?? type;
            var toName = Text(item, "to_name") ?? "";
            var value = item.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
            var label = value.ValueKind == JsonValueKind.Object ? Labels(value, resultType) : "";
            var id = Text(item, "id");
            try
            {
                // Character offsets into a text are drawn over it. Hypertext and paragraph labels address the document by
                // XPath or paragraph and time-series labels by time: those are shown as their values instead.
                if (resultType.Region == RegionKind.TextSpan && Number(value, "start") is { } start && Number(value, "end") is { } end && DataText(data, toName) is { } text)
                {
                    if (!texts.TryGetValue(toName, out var entry))
                    {
                        texts[toName] = entry = (text, []);
                    }
                    entry.Spans.Add(new SpanMark((int)Math.Clamp(start, 0, text.Length), (int)Math.Clamp(end, 0, text.Length), label, id));
                    continue;
                }
                if (ImageMarkOf(resultType, value, label) is { } mark && DataText(data, toName) is { } url)
                {
                    if (!images.TryGetValue(toName, out var entry))
                    {
                        images[toName] = entry = (url, Number(item, "original_width") ?? 100, Number(item, "original_height") ?? 100, []);
                    }
                    entry.Marks.Add(Scale(mark, entry.Width, entry.Height) with { Id = id });
                    continue;
                }
                if (resultType.Region == RegionKind.Mask && BrushMask.From(item) is { } brush && DataText(data, toName) is { } brushUrl)
                {
                    if (!images.TryGetValue(toName, out var entry))
                    {
                        images[toName] = entry = (brushUrl, brush.Width, brush.Height, []);
                    }
                    entry.Marks.Add(new ImageMark(RegionKind.Mask, label, 0, 0, 0, 0, 0, [], id, MaskPath(brush.Mask, brush.Width, brush.Height, entry.Width, entry.Height)));
                    continue;
                }
                if (Values(resultType, value) is { Count: > 0 } values)
                {
                    parts.Add(new ValuesPart(fromName, type, values));
                    continue;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
            {
                // A value of the wrong shape is shown as it is.
            }
            parts.Add(new JsonPart(fromName, type, Pretty(item)));
        }
        parts.InsertRange(0, texts.Select(t => (ResultPart)new TextPart(t.Key, t.Value.Text, t.Value.Spans)));
        parts.InsertRange(0, images.Select(i => (ResultPart)new ImagePart(i.Key, i.Value.Url, i.Value.Width, i.Value.Height, i.Value.Marks)));
        return parts;
    }

    /// <summary>The text cut at every span boundary, each piece with the labels covering it (two or more: an overlap).</summary>
    public static IReadOnlyList<(string Text, IReadOnlyList<SpanMark> Spans)> Segments(TextPart part)
    {
        var cuts = part.Spans.SelectMany(s => new[] { s.Start, s.End }).Append(0).Append(part.Text.Length).Distinct().Order().ToList();
        var segments = new List<(string, IReadOnlyList<SpanMark>)>();
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var (from, to) = (cuts[i], cuts[i + 1]);
            segments.Add((part.Text[from..to], part.Spans.Where(s => s.Start <= from && s.End >= to && s.End > s.Start).ToList()));
        }
        return segments;
    }

    /// <summary>A stable colour per label, so one label looks the same in every card.</summary>
    public static string Colour(string label)
    {
        var hash = 17;
        foreach (var c in label)
        {
            hash = unchecked((hash * 31) + c);
        }
        // The golden angle spreads neighbouring hashes around the colour wheel, so labels rarely look alike.
        return $"hsl({(int)((uint)hash * 137.508 % 360)}, 70%, 50%)";
    }

    private static ImageMark? ImageMarkOf(ResultType type, JsonElement value, string label)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var rotation = Number(value, "rotation") ?? 0;
        return type.Region switch
        {
            RegionKind.Box when Number(value, "x") is { } x && Number(value, "y") is { } y && Number(value, "width") is { } w && Number(value, "height") is { } h
                => new ImageMark(RegionKind.Box, label, x, y, w, h, rotation, []),
            RegionKind.Ellipse when Number(value, "x") is { } x && Number(value, "y") is { } y && Number(value, "radiusX") is { } rx && Number(value, "radiusY") is { } ry
                => new ImageMark(RegionKind.Ellipse, label, x, y, rx, ry, rotation, []),
            RegionKind.Keypoint when Number(value, "x") is { } x && Number(value, "y") is { } y
                => new ImageMark(RegionKind.Keypoint, label, x, y, Number(value, "width") ?? 1, 0, 0, []),
            RegionKind.Polygon when value.TryGetProperty("points", out var points) && points.ValueKind == JsonValueKind.Array
                => new ImageMark(RegionKind.Polygon, label, 0, 0, 0, 0, 0, points.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList()),
            _ => null,
        };
    }

    /// <summary>
    /// A brush mask as one SVG path of cells (at most 100 across), each drawn when at least half its pixels are set:
    /// close enough to see the region, small enough for a page of cards.
    /// </summary>
    private static string MaskPath(System.Collections.BitArray mask, int width, int height, double imageWidth, double imageHeight)
    {
        var cell = Math.Max(1, (int)Math.Ceiling(Math.Max(width, height) / 100.0));
        var (scaleX, scaleY) = (imageWidth / width, imageHeight / height);
        var path = new System.Text.StringBuilder();
        for (var cy = 0; cy * cell < height; cy++)
        {
            var runStart = -1;
            for (var cx = 0; cx * cell <= width; cx++)
            {
                var covered = cx * cell < width && Coverage(mask, width, height, cx * cell, cy * cell, cell) >= 0.5;
                if (covered && runStart < 0)
                {
                    runStart = cx;
                }
                else if (!covered && runStart >= 0)
                {
                    path.Append(CultureInfo.InvariantCulture, $"M{runStart * cell * scaleX:0.##} {cy * cell * scaleY:0.##}h{(cx - runStart) * cell * scaleX:0.##}v{cell * scaleY:0.##}h-{(cx - runStart) * cell * scaleX:0.##}z");
                    runStart = -1;
                }
            }
        }
        return path.ToString();
    }

    private static double Coverage(System.Collections.BitArray mask, int width, int height, int x0, int y0, int cell)
    {
        var (set, total) = (0, 0);
        for (var y = y0; y < Math.Min(y0 + cell, height); y++)
        {
            for (var x = x0; x < Math.Min(x0 + cell, width); x++)
            {
                total++;
                set += mask[(y * width) + x] ? 1 : 0;
            }
        }
        return total == 0 ? 0 : (double)set / total;
    }

    /// <summary>Label Studio stores image shapes in percent of the image; the overlay draws in the image's pixels.</summary>
    private static ImageMark Scale(ImageMark mark, double width, double height) => mark with
    {
        X = mark.X * width / 100,
        Y = mark.Y * height / 100,
        Width = mark.Width * width / 100,
        Height = mark.Height * height / 100,
        Points = [.. mark.Points.Select(p => (p.X * width / 100, p.Y * height / 100))],
    };

    private static List<string>? Values(ResultType type, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var key = type.ValueKey;
        return (type.Name, type.Region) switch
        {
            ("choices" or "textarea", _) => Strings(value, key),
            ("taxonomy", _) when value.TryGetProperty(key, out var paths) => [.. paths.EnumerateArray().Select(p => string.Join(" / ", p.EnumerateArray().Select(x => x.GetString())))],
            ("rating", _) when Number(value, key) is { } rating => [$"★ {rating.ToString(CultureInfo.InvariantCulture)}"],
            ("number", _) when Number(value, key) is { } number => [number.ToString(CultureInfo.InvariantCulture)],
            ("datetime" or "pairwise", _) when Text(value, key) is { } text => [text],
            (_, RegionKind.TimeSpan) when value.TryGetProperty("start", out var from) && value.TryGetProperty("end", out var to)
                => [$"{Labels(value, type)} {Plain(from)} – {Plain(to)}"],
            (_, RegionKind.DocumentSpan) when Text(value, "text") is { } quoted => [$"{Labels(value, type)}: “{quoted}”"],
            _ => null,
        };
    }

    private static string Plain(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static List<string>? Strings(JsonElement value, string name) =>
        value.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText())] : null;

    /// <summary>A region's labels, from the value key its type names.</summary>
    private static string Labels(JsonElement value, ResultType type) =>
        type.Kind == ResultKind.Region && value.TryGetProperty(type.ValueKey, out var labels) && labels.ValueKind == JsonValueKind.Array
            ? string.Join(", ", labels.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString() : l.GetRawText()))
            : "";

    /// <summary>The task's text (or image link) an object tag points to: the data key of that name, else the first string.</summary>
    private static string? DataText(JsonElement data, string key)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (data.TryGetProperty(key, out var named) && named.ValueKind == JsonValueKind.String)
        {
            return named.GetString();
        }
        return data.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.String) is { ValueKind: JsonValueKind.String } first ? first.GetString() : null;
    }

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var n) && n.ValueKind == JsonValueKind.Number && double.IsFinite(n.GetDouble()) ? n.GetDouble() : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;

    private static string Pretty(JsonElement json) => JsonSerializer.Serialize(json, Indented);
}

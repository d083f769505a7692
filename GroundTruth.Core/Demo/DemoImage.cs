using System.Globalization;
using System.Text;

namespace GroundTruth.Core.Demo;

/// <summary>The small generated pictures of the demo project: coloured shapes where the demo's boxes say objects are.</summary>
public static class DemoImage
{
    public const int Width = 320;
    public const int Height = 240;

    internal static readonly string[] Labels = ["Car", "Person", "Tree"];
    private static readonly string[] Colours = ["#d9534f", "#0275d8", "#5cb85c"];

    /// <summary>The objects in picture <paramref name="n"/>: label and box in percent of the image.</summary>
    internal static IReadOnlyList<(string Label, double X, double Y, double W, double H)> Objects(int n)
    {
        var rng = new Random(n * 7919);
        var count = 1 + rng.Next(3);
        var objects = new List<(string, double, double, double, double)>();
        for (var i = 0; i < count; i++)
        {
            var w = 15 + rng.Next(20);
            var h = 15 + rng.Next(25);
            var x = 5 + (i * 30) + rng.Next(5);
            var y = 10 + rng.Next(90 - h - 10);
            objects.Add((Labels[rng.Next(Labels.Length)], x, y, w, h));
        }
        return objects;
    }

    public static string Svg(int n)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#f4f1ea\"/>");
        foreach (var (label, x, y, w, h) in Objects(n))
        {
            var colour = Colours[Array.IndexOf(Labels, label)];
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x * Width / 100:0.#}\" y=\"{y * Height / 100:0.#}\" width=\"{w * Width / 100:0.#}\" height=\"{h * Height / 100:0.#}\" rx=\"6\" fill=\"{colour}\" opacity=\"0.8\"/>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }
}

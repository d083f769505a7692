using System.Text.Json.Nodes;
using GroundTruth.Core.Scoring;

namespace GroundTruth.Tests.Scoring;

public sealed class BrushMaskTests
{
    /// <summary>
    /// Encodes an RGBA image in Label Studio's RLE (rle-pack): 32-bit length, 5-bit word size − 1, four 4-bit run-size
    /// widths − 1, then runs of (1 repeat bit, 2-bit width index, count − 1, value(s)). Repeats only, 8-bit words, 16-bit counts.
    /// </summary>
    internal static int[] Encode(byte[] rgba)
    {
        var bits = new List<bool>();
        void Write(long value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                bits.Add(((value >> i) & 1) == 1);
            }
        }
        Write(rgba.Length, 32);
        Write(7, 5);
        for (var i = 0; i < 4; i++)
        {
            Write(15, 4);
        }
        for (var start = 0; start < rgba.Length;)
        {
            var end = start;
            while (end < rgba.Length && rgba[end] == rgba[start] && end - start < 65536)
            {
                end++;
            }
            Write(1, 1);
            Write(0, 2);
            Write(end - start - 1, 16);
            Write(rgba[start], 8);
            start = end;
        }
        while (bits.Count % 8 != 0)
        {
            bits.Add(false);
        }
        return bits.Chunk(8).Select(b => b.Aggregate(0, (acc, bit) => (acc << 1) | (bit ? 1 : 0))).ToArray();
    }

    /// <summary>A width × height RGBA image whose alpha is set inside the rectangle [x0, x1) × [y0, y1).</summary>
    internal static byte[] Image(int width, int height, int x0, int y0, int x1, int y1)
    {
        var rgba = new byte[width * height * 4];
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                var p = ((y * width) + x) * 4;
                (rgba[p], rgba[p + 3]) = (255, 255);
            }
        }
        return rgba;
    }

    internal static JsonObject Brush(int[] rle, int width, int height, string label = "Road") => new()
    {
        ["from_name"] = "mask",
        ["to_name"] = "image",
        ["type"] = "brushlabels",
        ["original_width"] = width,
        ["original_height"] = height,
        ["value"] = new JsonObject { ["format"] = "rle", ["rle"] = new JsonArray(rle.Select(b => (JsonNode)b).ToArray()), ["brushlabels"] = new JsonArray(label) },
    };

    [Fact]
    public void Decoding_recovers_the_mask()
    {
        var mask = BrushMask.Decode(Encode(Image(8, 4, 2, 1, 6, 3)), 8, 4)!;
        Assert.Equal(8, Enumerable.Range(0, 32).Count(i => mask[i]));
        Assert.True(mask[(1 * 8) + 2]);
        Assert.False(mask[(3 * 8) + 2]);
    }

    [Fact]
    public void Masks_compare_by_pixel_iou()
    {
        // 10×10 image: a 4×5 block against a 4×10 block sharing it: IoU 20 / 40 = 0.5, which counts at the default threshold.
        var a = Brush(Encode(Image(10, 10, 0, 0, 4, 5)), 10, 10);
        var b = Brush(Encode(Image(10, 10, 0, 0, 4, 10)), 10, 10);
        var control = ResultComparer.Compare(new JsonArray(a).ToJsonString(), new JsonArray(b).ToJsonString()).Controls.Single();
        Assert.Equal(new RegionCounts(1, 0, 0, 0), control.Regions);
        Assert.Equal(0.5, control.MeanOverlap!.Value, 6);
    }

    [Fact]
    public void Masks_of_different_sizes_compare_on_the_larger_grid()
    {
        // The same 4×5 block on a 10×10 image and, at twice the resolution, an 8×10 block on 20×20: the same region.
        var small = Brush(Encode(Image(10, 10, 0, 0, 4, 5)), 10, 10);
        var large = Brush(Encode(Image(20, 20, 0, 0, 8, 10)), 20, 20);
        var taller = Brush(Encode(Image(20, 20, 0, 0, 8, 20)), 20, 20);
        double Overlap(JsonObject a, JsonObject b) => ResultComparer.Compare(new JsonArray(a.DeepClone()).ToJsonString(), new JsonArray(b.DeepClone()).ToJsonString()).Controls.Single().MeanOverlap!.Value;

        Assert.Equal(1, Overlap(small, large), 6);
        Assert.Equal(1, Overlap(large, small), 6);
        // Scaled up, the small block covers half the taller one (80 of 160 pixels), from either side.
        Assert.Equal(0.5, Overlap(small, taller), 6);
        Assert.Equal(0.5, Overlap(taller, small), 6);
    }

    [Fact]
    public void Bad_rle_is_invalid_not_an_exception()
    {
        var good = Encode(Image(10, 10, 0, 0, 4, 5));
        var truncated = Brush(good[..(good.Length / 2)], 10, 10);
        var wrongSize = Brush(good, 20, 10);
        var notBytes = Brush([300, -1], 10, 10);
        foreach (var bad in new[] { truncated, wrongSize, notBytes })
        {
            var control = ResultComparer.Compare(new JsonArray(bad).ToJsonString(), new JsonArray(Brush(good, 10, 10)).ToJsonString()).Controls.Single();
            Assert.Equal(new RegionCounts(0, 0, 0, 1, Invalid: 1), control.Regions);
        }
    }
}

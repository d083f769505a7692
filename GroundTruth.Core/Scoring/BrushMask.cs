using System.Collections;
using System.Text.Json;

namespace GroundTruth.Core.Scoring;

/// <summary>
/// Label Studio's brush masks: <c>rle</c> is a bit-packed run-length encoding (the @thi.ng/rle-pack format) of the
/// RGBA image at <c>original_width</c> × <c>original_height</c>; a pixel belongs to the mask when its alpha is not 0.
/// </summary>
public static class BrushMask
{
    /// <summary>The mask, or null when the encoding is malformed or does not fit the stated size.</summary>
    public static BitArray? Decode(IReadOnlyList<int> rle, int width, int height)
    {
        if (width <= 0 || height <= 0 || (long)width * height > 100_000_000)
        {
            return null;
        }
        var bits = new BitReader(rle);
        var total = bits.Read(32);
        var wordSize = (int)bits.Read(5) + 1;
        var sizes = new long[4];
        for (var i = 0; i < 4; i++)
        {
            sizes[i] = bits.Read(4) + 1;
        }
        if (bits.Failed || total != (long)width * height * 4)
        {
            return null;
        }
        var mask = new BitArray(width * height);
        long position = 0;
        while (position < total)
        {
            var repeat = bits.Read(1) == 1;
            var size = bits.Read(2);
            var end = position + 1 + bits.Read((int)sizes[(int)size]);
            if (bits.Failed || end > total)
            {
                return null;
            }
            var value = repeat ? bits.Read(wordSize) : 0;
            for (; position < end; position++)
            {
                if (!repeat)
                {
                    value = bits.Read(wordSize);
                }
                if (position % 4 == 3 && value != 0)
                {
                    mask[(int)(position / 4)] = true;
                }
            }
            if (bits.Failed)
            {
                return null;
            }
        }
        return mask;
    }

    /// <summary>The mask a brush result item describes, or null when malformed.</summary>
    public static (BitArray Mask, int Width, int Height)? From(JsonElement item)
    {
        if (!item.TryGetProperty("original_width", out var w) || !w.TryGetInt32(out var width)
            || !item.TryGetProperty("original_height", out var h) || !h.TryGetInt32(out var height)
            || !item.TryGetProperty("value", out var value) || !value.TryGetProperty("rle", out var rle) || rle.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var bytes = new List<int>(rle.GetArrayLength());
        foreach (var b in rle.EnumerateArray())
        {
            if (!b.TryGetInt32(out var v) || v is < 0 or > 255)
            {
                return null;
            }
            bytes.Add(v);
        }
        return Decode(bytes, width, height) is { } mask ? (mask, width, height) : null;
    }

    /// <summary>Reads big-endian bit fields from bytes; past the end it sets <see cref="Failed"/> instead of throwing.</summary>
    private sealed class BitReader(IReadOnlyList<int> bytes)
    {
        private long _bit;

        public bool Failed { get; private set; }

        public long Read(int count)
        {
            long value = 0;
            for (var i = 0; i < count; i++)
            {
                var index = (int)(_bit >> 3);
                if (index >= bytes.Count)
                {
                    Failed = true;
                    return 0;
                }
                value = (value << 1) | (long)((bytes[index] >> (7 - (int)(_bit & 7))) & 1);
                _bit++;
            }
            return value;
        }
    }
}

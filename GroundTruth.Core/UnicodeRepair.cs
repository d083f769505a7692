using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace GroundTruth.Core;

/// <summary>
/// The one rule for text that is not valid Unicode: it is stored, and read, with U+FFFD (�) in its place. That covers a
/// lone surrogate — JSON.stringify and Python's json.dumps write <c>\ud83d</c> for a cut emoji, so real exports carry it —,
/// invalid or overlong UTF-8 bytes, and NUL, which PostgreSQL cannot store and no labeling task means. A value that must
/// have a shape (a timestamp, an email) is then checked as usual, so a broken one is refused with its path.
/// Imports repair what arrives; reads repair what an older database may already hold, so nothing stored breaks a read.
/// </summary>
public static class UnicodeRepair
{
    private static readonly byte[] ReplacementEscape = "\\ufffd"u8.ToArray();
    private static readonly byte[] ReplacementUtf8 = [0xEF, 0xBF, 0xBD];

    /// <summary>
    /// JSON text as UTF-8 bytes with every bad sequence inside its strings (and property names) replaced; null when
    /// there is none, so the caller keeps the bytes as they came. <paramref name="replaced"/> counts the replacements.
    /// </summary>
    public static byte[]? RepairJson(ReadOnlySpan<byte> json, out int replaced)
    {
        replaced = 0;
        ArrayBufferWriter<byte>? output = null;
        var copied = 0; // bytes of json[..copied] already in output
        void Replace(ReadOnlySpan<byte> json, int at, int length, byte[] with, ref int replaced)
        {
            output ??= new ArrayBufferWriter<byte>(json.Length + 16);
            output.Write(json[copied..at]);
            output.Write(with);
            copied = at + length;
            replaced++;
        }

        var i = 0;
        while (i < json.Length)
        {
            var b = json[i];
            if (b == (byte)'\\')
            {
                var length = EscapeLength(json, i, out var bad);
                if (bad)
                {
                    Replace(json, i, length, ReplacementEscape, ref replaced);
                }
                i += length;
            }
            else if (b < 0x80)
            {
                i++;
            }
            else
            {
                var status = Rune.DecodeFromUtf8(json[i..], out _, out var consumed);
                if (status != OperationStatus.Done)
                {
                    Replace(json, i, consumed, ReplacementUtf8, ref replaced);
                }
                i += consumed;
            }
        }
        if (output is null)
        {
            return null;
        }
        output.Write(json[copied..]);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A JSON value (an imported task, a request's filter value) with its broken text replaced; the same element when it
    /// has none. <paramref name="replaced"/> counts the replacements.
    /// </summary>
    public static JsonElement Repair(JsonElement element, out int replaced)
    {
        replaced = 0;
        if (element.ValueKind == JsonValueKind.Undefined || RepairJson(JsonMarshal.GetRawUtf8Value(element), out replaced) is not { } repaired)
        {
            return element;
        }
        using var document = JsonDocument.Parse(repaired);
        return document.RootElement.Clone();
    }

    /// <summary>Stored JSON text with bad escapes and unpaired surrogates replaced; the same instance when it has none (the usual case, found by a vectorised scan).</summary>
    public static string RepairJson(string json)
    {
        if (json.AsSpan().IndexOf("\\u", StringComparison.Ordinal) < 0 && json.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return json;
        }
        var bytes = Encoding.UTF8.GetBytes(RepairText(json));
        return RepairJson(bytes, out _) is { } repaired ? Encoding.UTF8.GetString(repaired) : json;
    }

    /// <summary>Plain text with unpaired surrogates and NUL replaced; the same instance when it has none.</summary>
    public static string RepairText(string text)
    {
        var span = text.AsSpan();
        if (span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0 && span.IndexOf('\0') < 0)
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) || c == '\0' ? '\uFFFD' : c);
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// The length of the escape at <paramref name="at"/> (a backslash), and whether it stands for a lone surrogate or
    /// NUL. A high surrogate followed by its low half is one 12-byte escape.
    /// </summary>
    private static int EscapeLength(ReadOnlySpan<byte> json, int at, out bool bad)
    {
        bad = false;
        if (at + 1 >= json.Length || json[at + 1] != (byte)'u' || !TryHex(json, at + 2, out var code))
        {
            return Math.Min(2, json.Length - at); // \n, \", \\ … (or a malformed escape, which the JSON reader reports)
        }
        if (char.IsHighSurrogate((char)code) && at + 12 <= json.Length && json[at + 6] == (byte)'\\' && json[at + 7] == (byte)'u'
            && TryHex(json, at + 8, out var low) && char.IsLowSurrogate((char)low))
        {
            return 12;
        }
        bad = code == 0 || char.IsSurrogate((char)code);
        return 6;
    }

    private static bool TryHex(ReadOnlySpan<byte> json, int at, out int code)
    {
        code = 0;
        if (at + 4 > json.Length)
        {
            return false;
        }
        for (var i = at; i < at + 4; i++)
        {
            var digit = json[i] switch
            {
                >= (byte)'0' and <= (byte)'9' => json[i] - '0',
                >= (byte)'a' and <= (byte)'f' => json[i] - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => json[i] - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }
            code = code * 16 + digit;
        }
        return true;
    }
}

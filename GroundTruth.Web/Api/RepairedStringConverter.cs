using System.Text.Json;
using System.Text.Json.Serialization;
using GroundTruth.Core;

namespace GroundTruth.Web.Api;

/// <summary>
/// Every string an API body carries, read by <see cref="UnicodeRepair"/>'s rule: a lone surrogate or NUL becomes
/// U+FFFD instead of an error deep inside (PostgreSQL cannot store or even compare NUL), as imports do.
/// </summary>
internal sealed class RepairedStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(); // without a message, System.Text.Json names the type and the JSON path
        }
        try
        {
            return UnicodeRepair.RepairText(reader.GetString()!);
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape: repair the raw token, then read it.
            var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
            var quoted = (byte[])[(byte)'"', .. raw, (byte)'"'];
            return JsonSerializer.Deserialize<string>(UnicodeRepair.RepairJson(quoted, out _) ?? quoted);
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

using System.Globalization;
using System.Text.Json;

namespace GroundTruth.Benchmarks;

/// <summary>
/// Writes a Label Studio file of N tasks, each with 3 annotations (one of them ground truth on a third of the tasks)
/// and 1 prediction: a text, a choice and two entity spans per annotation, as real NER + classification work looks.
/// </summary>
internal static class BenchmarkData
{
    public static readonly string[] Annotators = ["ann@bench.local", "bob@bench.local", "cat@bench.local", "dan@bench.local"];
    private static readonly string[] Choices = ["Positive", "Negative", "Neutral"];

    public static void Write(string path, int tasks, int seed = 1)
    {
        var rng = new Random(seed);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using var file = File.Create(path);
        using var json = new Utf8JsonWriter(file);
        json.WriteStartArray();
        for (var i = 0; i < tasks; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", i + 1);
            json.WriteStartObject("data");
            json.WriteString("text", $"Report {i}: Maria Lopez met John Smith in Lisbon about order {rng.Next(100000)}.");
            json.WriteString("source", i % 2 == 0 ? "email" : "chat");
            json.WriteEndObject();
            json.WriteString("created_at", Iso(start.AddSeconds(i)));
            json.WriteStartArray("annotations");
            var first = rng.Next(Annotators.Length);
            for (var a = 0; a < 3; a++)
            {
                var who = Annotators[(first + a) % Annotators.Length];
                json.WriteStartObject();
                json.WriteStartObject("completed_by");
                json.WriteString("email", who);
                json.WriteEndObject();
                json.WritePropertyName("result");
                WriteResult(json, rng);
                json.WriteBoolean("ground_truth", a == 0 && i % 3 == 0);
                json.WriteBoolean("was_cancelled", false);
                json.WriteString("created_at", Iso(start.AddSeconds(i + 60 + a)));
                json.WriteString("updated_at", Iso(start.AddSeconds(i + 120 + a)));
                json.WriteNumber("lead_time", Math.Round(rng.NextDouble() * 40, 3));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("predictions");
            json.WriteStartObject();
            json.WriteString("model_version", "bench-v1");
            json.WriteNumber("score", Math.Round(rng.NextDouble(), 3));
            json.WritePropertyName("result");
            WriteResult(json, rng);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            if (i % 10000 == 0)
            {
                json.Flush();
            }
        }
        json.WriteEndArray();
    }

    /// <summary>One result list as the file holds it, for measuring the scoring of it alone.</summary>
    public static string Result(Random rng)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteResult(json, rng);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The result list's value; the caller writes its property name.</summary>
    private static void WriteResult(Utf8JsonWriter json, Random rng)
    {
        json.WriteStartArray();
        json.WriteStartObject();
        json.WriteString("id", "c1");
        json.WriteString("from_name", "sentiment");
        json.WriteString("to_name", "text");
        json.WriteString("type", "choices");
        json.WriteStartObject("value");
        json.WriteStartArray("choices");
        json.WriteStringValue(Choices[rng.Next(Choices.Length)]);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        foreach (var (s, e, label) in new[] { (10, 21, "PER"), (26, 36, "PER") })
        {
            json.WriteStartObject();
            json.WriteString("id", $"s{s}");
            json.WriteString("from_name", "ner");
            json.WriteString("to_name", "text");
            json.WriteString("type", "labels");
            json.WriteStartObject("value");
            json.WriteNumber("start", s + (rng.Next(10) == 0 ? 1 : 0));
            json.WriteNumber("end", e);
            json.WriteStartArray("labels");
            json.WriteStringValue(label);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

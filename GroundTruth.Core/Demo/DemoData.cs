using System.Globalization;
using System.Text;
using System.Text.Json;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Projects;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Demo;

/// <summary>
/// A demo project: text classification, named entities and objects in images, annotated by four people who disagree
/// the way real annotators do, one model version's predictions, and a ground truth on about a third of the tasks.
/// It is generated as Label Studio JSON and goes in through the importer, like any user's file.
/// </summary>
public sealed class DemoData(IDbContextFactory<GroundTruthDbContext> factory, ProjectService projects, LabelStudioImporter importer, Jobs.JobRunner runner)
{
    public const string ProjectTitle = "Demo: news, names and street scenes";

    internal static readonly string[] Annotators = ["alice@demo.local", "bob@demo.local", "chen@demo.local", "dana@demo.local"];
    private static readonly string[] AnnotatorNames = ["Alice Martin", "Bob Okafor", "Chen Wei", "Dana Kowalski"];

    private static readonly (string Text, string Label)[] Headlines =
    [
        ("Local bakery wins national award for sourdough", "Positive"),
        ("Storm knocks out power to thousands overnight", "Negative"),
        ("City council meets to discuss parking rules", "Neutral"),
        ("Volunteers clean up the river in record time", "Positive"),
        ("Factory closure leaves hundreds without work", "Negative"),
        ("New bus timetable published for the spring", "Neutral"),
        ("Hospital opens a children's wing after donations", "Positive"),
        ("Flooding closes the coastal road again", "Negative"),
        ("Library extends its weekend opening hours", "Neutral"),
    ];

    private static readonly string[] People = ["Maria Lopez", "John Smith", "Aiko Tanaka", "Omar Haddad", "Lena Fischer"];
    private static readonly string[] Places = ["Lisbon", "Nairobi", "Toronto", "Osaka", "Krakow"];
    private static readonly string[] Sentiments = ["Positive", "Negative", "Neutral"];

    /// <summary>Creates and imports the demo project when the database has no project at all.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct = default)
    {
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (await db.Projects.AnyAsync(ct))
            {
                return false;
            }
        }
        var project = await projects.CreateAsync(Actor.System, ProjectTitle, ct);
        using var json = new MemoryStream(Generate(200));
        // Seeding runs before the host starts its job runner, so the import's job is run here rather than waited for.
        await importer.StartAsync(Actor.System, project.Id, json, ct: ct);
        await runner.RunPendingAsync(ct);
        return true;
    }

    /// <summary>The demo tasks as a Label Studio JSON array (UTF-8).</summary>
    public static byte[] Generate(int count, int seed = 20261127)
    {
        var rng = new Random(seed);
        var start = new DateTime(2026, 10, 1, 9, 0, 0, DateTimeKind.Utc);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            for (var i = 0; i < count; i++)
            {
                var created = start.AddMinutes(i * 17);
                json.WriteStartObject();
                json.WriteNumber("id", 1000 + i);
                var kind = i % 3;
                var annotators = Enumerable.Range(0, Annotators.Length).OrderBy(_ => rng.Next()).Take(3 + rng.Next(2)).ToList();
                var groundTruthBy = rng.NextDouble() < 0.34 ? annotators[0] : -1;

                json.WriteStartObject("data");
                string text = "";
                List<(int Start, int End, string Label)> spans = [];
                switch (kind)
                {
                    case 0:
                        json.WriteString("text", Headlines[i % Headlines.Length].Text);
                        break;
                    case 1:
                        (text, spans) = Sentence(rng);
                        json.WriteString("text", text);
                        break;
                    default:
                        json.WriteString("image", $"/demo/images/{i}.svg");
                        break;
                }
                json.WriteEndObject();
                json.WriteString("created_at", Iso(created));
                json.WriteString("updated_at", Iso(created.AddHours(2)));

                json.WriteStartArray("annotations");
                foreach (var who in annotators)
                {
                    var skill = 0.92 - (who * 0.08);
                    json.WriteStartObject();
                    json.WriteStartObject("completed_by");
                    json.WriteString("email", Annotators[who]);
                    var names = AnnotatorNames[who].Split(' ');
                    json.WriteString("first_name", names[0]);
                    json.WriteString("last_name", names[1]);
                    json.WriteEndObject();
                    json.WritePropertyName("result");
                    WriteResult(json, rng, kind, i, text, spans, skill);
                    json.WriteBoolean("was_cancelled", false);
                    json.WriteBoolean("ground_truth", who == groundTruthBy);
                    var at = created.AddMinutes(30 + (who * 5));
                    json.WriteString("created_at", Iso(at));
                    json.WriteString("updated_at", Iso(at.AddMinutes(rng.Next(3))));
                    json.WriteNumber("lead_time", Math.Round(5 + (rng.NextDouble() * 60), 3));
                    json.WriteEndObject();
                }
                json.WriteEndArray();

                json.WriteStartArray("predictions");
                json.WriteStartObject();
                json.WriteString("model_version", "demo-model-v1");
                json.WriteNumber("score", Math.Round(0.5 + (rng.NextDouble() / 2), 3));
                json.WritePropertyName("result");
                WriteResult(json, rng, kind, i, text, spans, 0.7);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    private static (string Text, List<(int, int, string)> Spans) Sentence(Random rng)
    {
        var person = People[rng.Next(People.Length)];
        var other = People[rng.Next(People.Length)];
        var place = Places[rng.Next(Places.Length)];
        var text = new StringBuilder();
        var spans = new List<(int, int, string)>();
        void Add(string part, string? label = null)
        {
            if (label is not null)
            {
                spans.Add((text.Length, text.Length + part.Length, label));
            }
            text.Append(part);
        }
        Add(person, "PER");
        Add(" met ");
        Add(other, "PER");
        Add(" in ");
        Add(place, "LOC");
        Add(" to talk about the harvest.");
        return (text.ToString(), spans);
    }

    private static void WriteResult(Utf8JsonWriter json, Random rng, int kind, int i, string text, List<(int Start, int End, string Label)> spans, double skill)
    {
        json.WriteStartArray();
        var region = 0;
        switch (kind)
        {
            case 0:
                var truth = Headlines[i % Headlines.Length].Label;
                var choice = rng.NextDouble() < skill ? truth : Sentiments[rng.Next(Sentiments.Length)];
                Region(json, ref region, "sentiment", "text", "choices", v => v.WriteStartArray("choices"), choice);
                break;
            case 1:
                foreach (var (start, end, label) in spans)
                {
                    if (rng.NextDouble() > skill + 0.05)
                    {
                        continue; // missed entity
                    }
                    var l = rng.NextDouble() < skill ? label : (label == "PER" ? "LOC" : "PER");
                    var s = start;
                    var e = rng.NextDouble() < skill ? end : Math.Max(start + 1, end - 2);
                    Region(json, ref region, "ner", "text", "labels", v =>
                    {
                        v.WriteNumber("start", s);
                        v.WriteNumber("end", e);
                        v.WriteString("text", text[s..e]);
                        v.WriteStartArray("labels");
                    }, l);
                }
                break;
            default:
                foreach (var (label, x, y, w, h) in DemoImage.Objects(i))
                {
                    if (rng.NextDouble() > skill + 0.05)
                    {
                        continue;
                    }
                    var jitter = (1 - skill) * 10;
                    double J() => Math.Round((rng.NextDouble() - 0.5) * jitter, 2);
                    var l = rng.NextDouble() < skill ? label : DemoImage.Labels[rng.Next(DemoImage.Labels.Length)];
                    Region(json, ref region, "objects", "image", "rectanglelabels", v =>
                    {
                        v.WriteNumber("x", x + J());
                        v.WriteNumber("y", y + J());
                        v.WriteNumber("width", w + J());
                        v.WriteNumber("height", h + J());
                        v.WriteNumber("rotation", 0);
                        v.WriteStartArray("rectanglelabels");
                    }, l, original: true);
                }
                break;
        }
        json.WriteEndArray();
    }

    private static void Region(Utf8JsonWriter json, ref int region, string from, string to, string type, Action<Utf8JsonWriter> value, string label, bool original = false)
    {
        json.WriteStartObject();
        json.WriteString("id", $"r{region++}");
        json.WriteString("from_name", from);
        json.WriteString("to_name", to);
        json.WriteString("type", type);
        if (original)
        {
            json.WriteNumber("original_width", DemoImage.Width);
            json.WriteNumber("original_height", DemoImage.Height);
        }
        json.WriteStartObject("value");
        value(json);
        json.WriteStringValue(label);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

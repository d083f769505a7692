using System.Globalization;
using System.Text.Json.Nodes;

namespace GroundTruth.Tests.Support;

/// <summary>Label Studio JSON for tests, and the fixture and vector files in <c>GroundTruth.Tests/TestData</c>.</summary>
public static class Fixtures
{
    /// <summary>The test data checked in with the tests (sources in its README), so a clone on its own runs them all.</summary>
    public static string TestDataFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GroundTruth.sln")))
                {
                    return Path.Combine(dir.FullName, "GroundTruth.Tests", "TestData");
                }
            }
            throw new DirectoryNotFoundException("GroundTruth.sln not found above the test binaries.");
        }
    }

    public static string LabelStudioFile(string name) => Path.Combine(TestDataFolder, "fixtures", "label-studio", name);

    public static IEnumerable<string> LabelStudioFiles() =>
        Directory.EnumerateFiles(Path.Combine(TestDataFolder, "fixtures", "label-studio"), "*.json").Order(StringComparer.Ordinal);

    /// <summary><paramref name="count"/> tasks with text "task i" and one "choices" annotation per annotator email.</summary>
    public static string Tasks(int count, params string[] annotators)
    {
        var tasks = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var annotations = new JsonArray();
            for (var a = 0; a < annotators.Length; a++)
            {
                annotations.Add(Annotation(annotators[a], i % 2 == 0 ? "A" : "B", minute: a));
            }
            tasks.Add(new JsonObject
            {
                ["id"] = 100 + i,
                ["data"] = new JsonObject { ["text"] = $"task {i}", ["n"] = i },
                ["annotations"] = annotations,
                ["created_at"] = $"2025-01-{1 + (i % 28):00}T10:00:00Z",
            });
        }
        return tasks.ToJsonString();
    }

    public static JsonObject Annotation(string email, string choice, int minute = 0, bool groundTruth = false, bool cancelled = false) => new()
    {
        ["completed_by"] = new JsonObject { ["email"] = email },
        ["result"] = new JsonArray(Choice(choice)),
        ["ground_truth"] = groundTruth,
        ["was_cancelled"] = cancelled,
        ["created_at"] = "2025-02-01T10:00:00Z",
        ["updated_at"] = $"2025-02-01T10:{minute.ToString("00", CultureInfo.InvariantCulture)}:00Z",
    };

    public static JsonObject Choice(string choice) => new()
    {
        ["id"] = "r1",
        ["from_name"] = "sentiment",
        ["to_name"] = "text",
        ["type"] = "choices",
        ["value"] = new JsonObject { ["choices"] = new JsonArray(choice) },
    };

    /// <summary>A rectangle on a 320×240 image, as Label Studio writes one (JSON text, to splice into a file).</summary>
    public static string Box(string id, double x, string label, double rotation = 0) =>
        $$$"""{"id": "{{{id}}}", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 320, "original_height": 240, "value": {"x": {{{x}}}, "y": 20, "width": 20, "height": 30, "rotation": {{{rotation}}}, "rectanglelabels": ["{{{label}}}"]}}""";
}

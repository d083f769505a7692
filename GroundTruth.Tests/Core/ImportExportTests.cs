using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.ImportExport;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Core;

public sealed class ImportExportTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    public static TheoryData<string, int, int, int, int, int> FixtureCounts() => new()
    {
        // file, tasks, annotations, predictions, ground truths, corrected tasks
        { "humor_dataset_2_annotations.json", 2, 2, 0, 1, 0 },
        { "image_urls_with_bboxes_gt.json", 2, 2, 0, 2, 0 },
        { "previous_export.json", 1, 1, 0, 0, 0 },
        { "text_with_2_predictions.json", 1, 0, 2, 0, 0 },
        { "three_tasks_two_gts.json", 3, 3, 3, 2, 0 },
    };

    [Fact]
    public void Every_fixture_file_has_expected_counts()
    {
        var named = FixtureCounts().Select(row => (string)row[0]).Order(StringComparer.Ordinal);
        Assert.Equal(Fixtures.LabelStudioFiles().Select(Path.GetFileName), named);
    }

    [Theory]
    [MemberData(nameof(FixtureCounts))]
    public async Task Every_fixture_imports(string file, int tasks, int annotations, int predictions, int groundTruths, int corrected)
    {
        var project = await _db.NewProjectAsync();
        await using var stream = File.OpenRead(Fixtures.LabelStudioFile(file));

        var result = await _db.Importer.ImportAsync(Actor.System, project, stream);

        Assert.Equal(new ImportResult(tasks, annotations, predictions, groundTruths, corrected), result);
        var stored = await _db.TasksAsync(project);
        Assert.Equal(tasks, stored.Count);
        Assert.Equal(annotations, stored.Sum(t => t.TotalAnnotations + t.CancelledAnnotations));
        Assert.Equal(predictions, stored.Sum(t => t.TotalPredictions));
        Assert.Equal(groundTruths, stored.Count(t => t.Sheet!.HasGroundTruth));
    }

    [Fact]
    public async Task Fixture_details_survive_import()
    {
        var project = await _db.NewProjectAsync();
        await using (var stream = File.OpenRead(Fixtures.LabelStudioFile("previous_export.json")))
        {
            await _db.Importer.ImportAsync(Actor.System, project, stream);
        }
        var task = await _db.Tasks.GetTaskAsync(Actor.System, (await _db.TasksAsync(project)).Single().Id);

        Assert.Equal(1234, task.ExternalId);
        Assert.Equal("https://pytest.labelstud.io/mypets.jpg", task.Data.GetProperty("image").GetString());
        var annotation = Assert.Single(task.Annotations);
        Assert.Equal("annotator_from_past@project.com", annotation.CompletedBy.Email);
        Assert.Equal(346193.271, annotation.LeadTime);
        Assert.Equal(new DateTime(2021, 7, 6, 6, 44, 8, 446, DateTimeKind.Utc).AddTicks(3710), annotation.UpdatedAt);
    }

    [Fact]
    public async Task An_annotation_without_a_ground_truth_key_is_not_ground_truth()
    {
        var project = await _db.NewProjectAsync();
        var annotation = Fixtures.Annotation("a@x.org", "A");
        annotation.Remove("ground_truth");
        await _db.ImportAsync(project, new JsonObject { ["data"] = new JsonObject { ["text"] = "x" }, ["annotations"] = new JsonArray(annotation) }.ToJsonString());

        Assert.False((await _db.AnnotationsAsync(project)).Single().GroundTruth);
    }

    [Fact]
    public async Task Two_ground_truths_on_one_task_keep_the_most_recently_updated()
    {
        var project = await _db.NewProjectAsync();
        var json = new JsonArray(
            new JsonObject
            {
                ["data"] = new JsonObject { ["text"] = "x" },
                ["annotations"] = new JsonArray(
                    Fixtures.Annotation("a@x.org", "A", minute: 30, groundTruth: true),
                    Fixtures.Annotation("b@x.org", "B", minute: 10, groundTruth: true),
                    Fixtures.Annotation("c@x.org", "C", minute: 50, groundTruth: true, cancelled: true)),
            },
            new JsonObject
            {
                ["data"] = new JsonObject { ["text"] = "y" },
                ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A", groundTruth: true)),
            }).ToJsonString();

        var result = await _db.ImportAsync(project, json);

        Assert.Equal((2, 1), (result.GroundTruthCount, result.CorrectedTasks));
        var annotations = await _db.AnnotationsAsync(project);
        Assert.Equal([true, false, false, true], annotations.Select(a => a.GroundTruth));
        var first = (await _db.TasksAsync(project))[0];
        Assert.Equal((2, 1, annotations[0].Id), (first.TotalAnnotations, first.CancelledAnnotations, first.Sheet!.GroundTruthAnnotationId));
    }

    [Fact]
    public async Task Integer_completed_by_becomes_an_import_member_unless_mapped()
    {
        var project = await _db.NewProjectAsync();
        JsonObject ByUser(int id) => new() { ["completed_by"] = id, ["result"] = new JsonArray() };
        var json = new JsonObject { ["data"] = new JsonObject { ["text"] = "x" }, ["annotations"] = new JsonArray(ByUser(7), ByUser(8)) }.ToJsonString();

        await _db.ImportAsync(project, json, new ImportOptions(new Dictionary<long, string> { [8] = "Eight@Example.org" }));

        Assert.Equal(["user7@import.local", "eight@example.org"], (await _db.AnnotationsAsync(project)).Select(a => a.Member!.Email));
    }

    [Fact]
    public async Task Many_annotators_new_and_known_each_become_one_member()
    {
        var project = await _db.NewProjectAsync();
        JsonObject ByUser(int id) => new() { ["completed_by"] = id, ["result"] = new JsonArray() };
        string File(IEnumerable<(int First, int Second)> pairs) => new JsonArray([.. pairs.Select(p => (JsonNode)new JsonObject
        {
            ["data"] = new JsonObject { ["text"] = $"{p.First}-{p.Second}" },
            ["annotations"] = new JsonArray(ByUser(p.First), ByUser(p.Second)),
        })]).ToJsonString();
        await _db.ImportAsync(project, File([(1, 2), (2, 3)]));
        async Task<Dictionary<string, long>> MembersAsync() =>
            (await _db.AnnotationsAsync(project)).DistinctBy(a => a.MemberId).ToDictionary(a => a.Member!.Email, a => a.MemberId, StringComparer.Ordinal);
        var known = await MembersAsync();

        // 150 annotators (2 to 151), two of them known from the first file, most on two tasks (one chunk holds them all).
        await _db.ImportAsync(project, File(Enumerable.Range(2, 149).Select(i => (i, i + 1))));

        var tasks = await _db.TasksAsync(project);
        var byTask = (await _db.AnnotationsAsync(project)).GroupBy(a => a.TaskId).ToDictionary(g => g.Key, g => g.Select(a => a.Member!.Email).ToList());
        Assert.Equal(151, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(
            JsonNode.Parse(t.Data)!["text"]!.GetValue<string>().Split('-').Select(n => $"user{n}@import.local"), byTask[t.Id]));
        var members = await MembersAsync();
        Assert.Equal(151, members.Count);
        Assert.All(known, k => Assert.Equal(k.Value, members[k.Key]));
    }

    [Fact]
    public async Task A_task_without_data_is_itself_the_data_and_unknown_types_are_kept_verbatim()
    {
        var project = await _db.NewProjectAsync();
        const string unknownResult = """[{"from_name":"x","to_name":"y","type":"future_type","value":{"weird":[1, 2.50, {"k":null}]},"extra":"kept"}]""";
        var json = $$"""[{"text": "bare task"}, {"data": {"t": 1}, "annotations": [{"result": {{unknownResult}}}]}]""";

        await _db.ImportAsync(project, json);

        var tasks = await _db.TasksAsync(project);
        Assert.Equal("""{"text": "bare task"}""", tasks[0].Data);
        Assert.Equal(unknownResult, (await _db.AnnotationsAsync(project)).Single().Result);
    }

    public static TheoryData<string, string, int, string, string> MalformedImports() => new()
    {
        // name, json, item, path, words in the reason
        { "not json", "[{\"data\": {\"text\": \"a\"}}, {\"data\": ", 1, "$[1]", "not valid JSON" },
        { "not a task list", "42", 0, "$", "expected a task object or an array" },
        { "empty file", "   ", 0, "$", "empty" },
        { "empty array", "[]", 0, "$", "no tasks" },
        { "task not an object", "[{\"data\": {}}, \"text\"]", 1, "$[1]", "must be a JSON object" },
        { "data not an object", "[{\"data\": [1, 2]}]", 0, "$[0].data", "data must be a JSON object" },
        { "meta not an object", "[{\"data\": {}, \"meta\": 3}]", 0, "$[0].meta", "meta must be a JSON object" },
        { "annotations not a list", "[{\"data\": {}, \"annotations\": {}}]", 0, "$[0].annotations", "must be a list" },
        { "result not a list", "[{\"data\": {}}, {\"data\": {}, \"annotations\": [{\"result\": {}}]}]", 1, "$[1].annotations[0].result", "result must be a list" },
        { "result without from_name", "[{\"data\": {}, \"annotations\": [{\"result\": [{\"type\": \"choices\", \"value\": {}}]}]}]", 0, "$[0].annotations[0].result[0].from_name", "from_name" },
        { "result without type", "[{\"data\": {}, \"annotations\": [{\"result\": [{\"from_name\": \"a\", \"value\": {}}]}]}]", 0, "$[0].annotations[0].result[0].type", "type" },
        { "result without value", "[{\"data\": {}, \"predictions\": [{\"result\": [{\"from_name\": \"a\", \"type\": \"choices\"}]}]}]", 0, "$[0].predictions[0].result[0].value", "value" },
        { "bad timestamp", "[{\"data\": {}, \"annotations\": [{\"result\": [], \"created_at\": \"yesterday\"}]}]", 0, "$[0].annotations[0].created_at", "ISO 8601" },
        { "bad task timestamp", "[{\"data\": {}, \"updated_at\": 12}]", 0, "$[0].updated_at", "timestamp" },
        { "ground_truth not a bool", "[{\"data\": {}, \"annotations\": [{\"result\": [], \"ground_truth\": \"yes\"}]}]", 0, "$[0].annotations[0].ground_truth", "true or false" },
        { "id not an integer", "[{\"id\": \"abc\", \"data\": {}}]", 0, "$[0].id", "integer" },
        { "completed_by wrong", "[{\"data\": {}, \"annotations\": [{\"result\": [], \"completed_by\": \"bob\"}]}]", 0, "$[0].annotations[0].completed_by", "user id" },
        { "lead_time not a number", "[{\"data\": {}, \"annotations\": [{\"result\": [], \"lead_time\": \"1s\"}]}]", 0, "$[0].annotations[0].lead_time", "number" },
        { "score not a number", "[{\"data\": {}, \"predictions\": [{\"result\": [], \"score\": []}]}]", 0, "$[0].predictions[0].score", "number" },
    };

    [Theory]
    [MemberData(nameof(MalformedImports))]
    public async Task A_malformed_import_names_item_and_path_and_writes_nothing(string name, string json, int item, string path, string reason)
    {
        var project = await _db.SeedAsync(2, "keep@x.org");
        var before = await _db.SnapshotAsync();

        var error = await Assert.ThrowsAsync<ImportException>(() => _db.ImportAsync(project, json));

        Assert.True(item == error.Item, $"{name}: item {error.Item}");
        Assert.Equal(path, error.Path);
        Assert.Contains(reason, error.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await _db.SnapshotAsync());
    }

    [Theory]
    [InlineData(50)]
    [InlineData(1_200)] // two batches of 500 staged before it, the second still being written while the next is parsed
    public async Task A_bad_item_after_good_ones_rolls_back_the_good_ones(int good)
    {
        var project = await _db.NewProjectAsync();
        var before = await _db.SnapshotAsync();
        var items = JsonNode.Parse(Fixtures.Tasks(good, "a@x.org", "b@x.org"))!.AsArray();
        items.Add(new JsonObject { ["data"] = "oops" });

        var error = await Assert.ThrowsAsync<ImportException>(() => _db.ImportAsync(project, items.ToJsonString()));

        Assert.Equal((good, $"$[{good}].data"), (error.Item, error.Path));
        Assert.Empty(await _db.TasksAsync(project));
        Assert.Null(await _db.Projects.FindMemberIdAsync("a@x.org"));
        // Not a staged row, job or hidden project of it is left either.
        Assert.Equal(before, await _db.SnapshotAsync());
    }

    [Fact]
    public async Task Import_export_import_gives_the_same_tasks_results_flags_and_counts()
    {
        var first = await _db.NewProjectAsync("first");
        foreach (var file in Fixtures.LabelStudioFiles())
        {
            await using var stream = File.OpenRead(file);
            await _db.Importer.ImportAsync(Actor.System, first, stream);
        }
        await _db.ImportAsync(first, Encoding.UTF8.GetString(GroundTruth.Core.Demo.DemoData.Generate(30)));

        var exported = new MemoryStream();
        await _db.Exporter.ExportAsync(Actor.System, first, exported);
        var second = await _db.NewProjectAsync("second");
        exported.Position = 0;
        await _db.Importer.ImportAsync(Actor.System, second, exported);

        var (expected, actual) = (await DescribeAsync(first), await DescribeAsync(second));
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
        var again = new MemoryStream();
        await _db.Exporter.ExportAsync(Actor.System, second, again);
        var tasks = JsonNode.Parse(again.ToArray())!.AsArray();
        Assert.Equal((await _db.TasksAsync(second)).Count, tasks.Count);
    }

    [Fact]
    public async Task Export_writes_label_studio_fields()
    {
        var task = (await ExportFixtureAsync("image_urls_with_bboxes_gt.json"))[0]!;
        var annotation = task["annotations"]![0]!;
        Assert.True(annotation["ground_truth"]!.GetValue<bool>());
        Assert.Equal("2022-05-16T08:27:28.980535Z", annotation["created_at"]!.GetValue<string>());
        Assert.Equal(4.369, annotation["lead_time"]!.GetValue<double>());
        Assert.Equal(JsonValueKind.Number, annotation["completed_by"]!["id"]!.GetValueKind());
        Assert.Equal("anonymous@import.local", annotation["completed_by"]!["email"]!.GetValue<string>());
        Assert.Equal("Cat", annotation["result"]![0]!["value"]!["rectanglelabels"]![0]!.GetValue<string>());
        Assert.Equal(1, task["total_annotations"]!.GetValue<int>());
    }

    [Fact]
    public async Task Fields_the_model_does_not_know_are_exported_as_they_came()
    {
        var task = (await ExportFixtureAsync("image_urls_with_bboxes_gt.json"))[0]!.AsObject();
        Assert.Equal("c44d2f77-image_urls_with_bboxes.json", task["file_upload"]!.GetValue<string>());
        Assert.Empty(task["drafts"]!.AsArray());
        Assert.Equal(1, task["inner_id"]!.GetValue<int>()); // recomputed, not the file's
        var annotation = task["annotations"]![0]!.AsObject();
        Assert.True(annotation.ContainsKey("parent_prediction"));
        Assert.Null(annotation["parent_prediction"]);
        Assert.Empty(annotation["prediction"]!.AsObject());
        Assert.False(annotation.ContainsKey("result_count"));
        Assert.Equal(1, task.Count(p => p.Key == "total_annotations"));
    }

    /// <summary>
    /// What an export with the file's ids may write that the file did not say: our ids where it had none, the counters
    /// and timestamps every task has, and the defaults of fields it left out. Also in the README.
    /// </summary>
    private static readonly Dictionary<string, HashSet<string>> Additions = new()
    {
        ["task"] = ["id", "inner_id", "project", "created_at", "updated_at", "total_annotations", "cancelled_annotations", "total_predictions", "annotations", "predictions"],
        ["annotation"] = ["id", "completed_by", "was_cancelled", "ground_truth", "created_at", "updated_at", "lead_time", "task"],
        ["prediction"] = ["id", "model_version", "score", "created_at", "task"],
    };

    /// <summary>Counted from the annotations and predictions the file holds, never copied: a Label Studio export can hold stale counts.</summary>
    private static readonly HashSet<string> Recounted = ["total_annotations", "cancelled_annotations", "total_predictions"];

    [Theory]
    [MemberData(nameof(FixtureCounts))]
    public async Task An_export_with_the_files_ids_says_what_the_file_said(string file, int tasks, int annotations, int predictions, int groundTruths, int corrected)
    {
        _ = (annotations, predictions, groundTruths, corrected);
        var said = JsonNode.Parse(await File.ReadAllTextAsync(Fixtures.LabelStudioFile(file)))!;
        var expected = said as JsonArray ?? [said.DeepClone()];

        var exported = await ExportFixtureAsync(file, IdSource.File);

        Assert.Equal(tasks, exported.Count);
        for (var i = 0; i < tasks; i++)
        {
            AssertSays(expected[i]!.AsObject(), exported[i]!.AsObject(), "task", $"$[{i}]");
        }
    }

    [Fact]
    public async Task Our_ids_by_default_with_the_files_annotator_fields_kept()
    {
        var ours = (await ExportFixtureAsync("previous_export.json"))[0]!;
        var file = (await ExportFixtureAsync("previous_export.json", IdSource.File))[0]!;

        Assert.Equal(1234, file["id"]!.GetValue<long>());
        Assert.NotEqual(1234, ours["id"]!.GetValue<long>());
        Assert.Equal(49, file["project"]!.GetValue<long>());
        Assert.NotEqual(49, ours["project"]!.GetValue<long>());
        var (mine, theirs) = (ours["annotations"]![0]!, file["annotations"]![0]!);
        Assert.Equal(5678, theirs["id"]!.GetValue<long>());
        Assert.Equal(ours["id"]!.GetValue<long>(), mine["task"]!.GetValue<long>());
        Assert.Equal("""{"id":42,"email":"annotator_from_past@project.com","first_name":"","last_name":""}""", theirs["completed_by"]!.ToJsonString());
        // Ours names our member, and keeps the rest of what the file said of them.
        Assert.NotEqual(42, mine["completed_by"]!["id"]!.GetValue<long>());
        Assert.Equal(["id", "email", "first_name", "last_name"], mine["completed_by"]!.AsObject().Select(p => p.Key));
        Assert.False(mine.AsObject().ContainsKey("result_count"));
        Assert.Equal(0, theirs["result_count"]!.GetValue<int>());
    }

    /// <summary>Every field the file said is in the export with the same value; anything else the export says is a documented addition.</summary>
    private static void AssertSays(JsonObject file, JsonObject export, string kind, string path)
    {
        foreach (var (name, value) in file)
        {
            Assert.True(export.ContainsKey(name), $"{path}.{name} is missing from the export");
            if (name is "annotations" or "predictions" && kind == "task")
            {
                var (fileItems, exportItems) = (value!.AsArray(), export[name]!.AsArray());
                Assert.Equal(fileItems.Count, exportItems.Count);
                for (var i = 0; i < fileItems.Count; i++)
                {
                    AssertSays(fileItems[i]!.AsObject(), exportItems[i]!.AsObject(), name[..^1], $"{path}.{name}[{i}]");
                }
                continue;
            }
            if (kind == "task" && Recounted.Contains(name))
            {
                continue;
            }
            Assert.True(SameValue(value, export[name], name), $"{path}.{name}: the file said {value?.ToJsonString()}, the export {export[name]?.ToJsonString()}");
        }
        var added = export.Select(p => p.Key).Where(k => !file.ContainsKey(k)).ToList();
        Assert.All(added, k => Assert.True(Additions[kind].Contains(k), $"{path}.{k} is not a documented addition"));
    }

    /// <summary>Equal JSON, with numbers compared as numbers and timestamps (fields named *_at) as instants.</summary>
    private static bool SameValue(JsonNode? a, JsonNode? b, string name)
    {
        if (a?.GetValueKind() == JsonValueKind.Number && b?.GetValueKind() == JsonValueKind.Number)
        {
            return a.GetValue<decimal>() == b.GetValue<decimal>();
        }
        if (name.EndsWith("_at", StringComparison.Ordinal) && a?.GetValueKind() == JsonValueKind.String && b?.GetValueKind() == JsonValueKind.String)
        {
            return DateTimeOffset.Parse(a.GetValue<string>(), CultureInfo.InvariantCulture) == DateTimeOffset.Parse(b.GetValue<string>(), CultureInfo.InvariantCulture);
        }
        return JsonNode.DeepEquals(a, b);
    }

    private async Task<JsonArray> ExportFixtureAsync(string file, IdSource ids = IdSource.Ours)
    {
        var project = await _db.NewProjectAsync();
        await using (var stream = File.OpenRead(Fixtures.LabelStudioFile(file)))
        {
            await _db.Importer.ImportAsync(Actor.System, project, stream);
        }
        var output = new MemoryStream();
        await _db.Exporter.ExportAsync(Actor.System, project, output, ids: ids);
        return JsonNode.Parse(output.ToArray())!.AsArray();
    }

    /// <summary>Everything the round trip must keep, independent of ids: data, meta, results byte for byte, flags, people, times, counters.</summary>
    private async Task<List<string>> DescribeAsync(long project)
    {
        var lines = new List<string>();
        foreach (var task in await _db.TasksAsync(project))
        {
            var detail = await _db.Tasks.GetTaskAsync(Actor.System, task.Id);
            lines.Add($"task {task.InnerId} {task.Data} {task.Meta} {Unknown(task.Extra, FileFields.Task)} {task.CreatedAt:O} {task.UpdatedAt:O} {task.TotalAnnotations}/{task.CancelledAnnotations}/{task.TotalPredictions}/{task.Sheet!.HasGroundTruth}");
            await using var db = _db.Context();
            foreach (var a in db.Annotations.Where(a => a.TaskId == task.Id).OrderBy(a => a.Id))
            {
                lines.Add($"  annotation {detail.Annotations.Single(x => x.Id == a.Id).CompletedBy.Email} {a.Result} {a.WasCancelled} {a.GroundTruth} {a.CreatedAt:O} {a.UpdatedAt:O} {a.LeadTime} {Unknown(a.Extra, FileFields.Annotation)}");
            }
            foreach (var p in db.Predictions.Where(p => p.TaskId == task.Id).OrderBy(p => p.Id))
            {
                lines.Add($"  prediction {p.ModelVersion} {p.Score} {p.Result} {Unknown(p.Extra, FileFields.Prediction)}");
            }
        }
        return lines;
    }

    /// <summary>The fields the model does not know, without those it owns and keeps as a file said them (ours, after a round trip).</summary>
    private static string? Unknown(string? extra, IReadOnlySet<string> fileFields)
    {
        if (extra is null)
        {
            return null;
        }
        var fields = JsonNode.Parse(extra)!.AsObject();
        foreach (var name in fileFields)
        {
            fields.Remove(name);
        }
        return fields.Count == 0 ? null : fields.ToJsonString();
    }
}

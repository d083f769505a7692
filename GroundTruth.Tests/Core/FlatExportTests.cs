using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.ImportExport;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Core;

/// <summary>
/// JSON_MIN, CSV and TSV as Label Studio's converter writes them: a record per annotation that was not cancelled, newest
/// first, the control values under their names (one choice or one text as a plain string), a task without annotations
/// as one record, a task whose annotations were all cancelled as none.
/// </summary>
public sealed class FlatExportTests : IAsyncLifetime
{
    private const string File = """
        [
          {"id": 501, "data": {"text": "Say \"hi\", then go", "n": 3},
           "annotations": [
             {"id": 9001, "completed_by": {"id": 7, "email": "ann@x.org"}, "created_at": "2024-01-01T10:00:00Z", "updated_at": "2024-01-01T10:00:00Z", "lead_time": 2.5,
              "result": [{"from_name": "mood", "to_name": "text", "type": "choices", "value": {"choices": ["Happy"]}},
                         {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["héllo"]}}]},
             {"id": 9002, "completed_by": {"id": 8, "email": "bob@x.org"}, "created_at": "2024-01-02T10:00:00Z", "updated_at": "2024-01-02T10:00:00Z",
              "result": [{"from_name": "ner", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 3, "labels": ["Verb"]}},
                         {"from_name": "ner", "to_name": "text", "type": "labels", "value": {"start": 5, "end": 7, "labels": ["Word"]}},
                         {"from_name": "mood", "to_name": "text", "type": "choices", "value": {"choices": ["Happy", "Sad"]}}]},
             {"id": 9003, "completed_by": {"id": 9, "email": "cat@x.org"}, "was_cancelled": true, "created_at": "2024-01-03T10:00:00Z", "result": []}
           ]},
          {"id": 502, "data": {"text": "nobody looked"}},
          {"id": 503, "data": {"text": "skipped by all"},
           "annotations": [{"completed_by": {"id": 9, "email": "cat@x.org"}, "was_cancelled": true, "result": []}]}
        ]
        """;

    private readonly TestDatabase _db = new();
    private long _project;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _project = await _db.NewProjectAsync();
        await _db.Importer.ImportAsync(Actor.System, _project, new MemoryStream(Encoding.UTF8.GetBytes(File)));
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    private async Task<string> ExportAsync(string format, IdSource ids = IdSource.File)
    {
        var output = new MemoryStream();
        await _db.Exporter.ExportAsync(Actor.System, _project, output, ids: ids, format: format);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task Json_min_has_a_flat_record_per_annotation_newest_first()
    {
        var records = JsonNode.Parse(await ExportAsync("JSON_MIN"))!.AsArray();

        Assert.Equal([(501, 9002), (501, 9001), (502, 0)],
            records.Select(r => (r!["id"]!.GetValue<long>(), r["annotation_id"]?.GetValue<long>() ?? 0)));
        var bob = records[0]!;
        Assert.Equal("bob@x.org", bob["annotator"]!.GetValue<string>());
        Assert.Equal("Say \"hi\", then go", bob["text"]!.GetValue<string>());
        Assert.Equal(3, bob["n"]!.GetValue<int>());
        // Two spans of one control are the list of their values; a lone result of a choices control is its value, even
        // when it holds two choices (Label Studio's prettify_result).
        Assert.Equal("""[{"start":0,"end":3,"labels":["Verb"]},{"start":5,"end":7,"labels":["Word"]}]""", bob["ner"]!.ToJsonString());
        Assert.Equal("""{"choices":["Happy","Sad"]}""", bob["mood"]!.ToJsonString());
        Assert.Null(bob["lead_time"]);

        var ann = records[1]!;
        Assert.Equal("Happy", ann["mood"]!.GetValue<string>());
        Assert.Equal("héllo", ann["note"]!.GetValue<string>());
        Assert.Equal(2.5, ann["lead_time"]!.GetValue<double>());
        Assert.Equal("2024-01-01T10:00:00.000000Z", ann["created_at"]!.GetValue<string>());

        var unlabelled = records[2]!.AsObject();
        Assert.Equal(["text", "id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"], unlabelled.Select(p => p.Key));
        Assert.Null(unlabelled["annotator"]);
    }

    [Fact]
    public async Task Json_min_writes_our_ids_unless_asked_for_the_files()
    {
        var records = JsonNode.Parse(await ExportAsync("JSON_MIN", IdSource.Ours))!.AsArray();
        var tasks = await _db.TasksAsync(_project);
        Assert.Equal(tasks[0].Id, records[0]!["id"]!.GetValue<long>());
        Assert.NotEqual(9002, records[0]!["annotation_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Csv_quotes_text_leaves_numbers_bare_and_sorts_its_columns()
    {
        var lines = (await ExportAsync("CSV")).Split("\r\n");

        Assert.Equal("\"annotation_id\",\"annotator\",\"created_at\",\"id\",\"lead_time\",\"mood\",\"n\",\"ner\",\"note\",\"text\",\"updated_at\"", lines[0]);
        Assert.Equal(
            "9002,\"bob@x.org\",\"2024-01-02T10:00:00.000000Z\",501,\"\",\"{\"\"choices\"\":[\"\"Happy\"\",\"\"Sad\"\"]}\",3,"
            + "\"[{\"\"start\"\":0,\"\"end\"\":3,\"\"labels\"\":[\"\"Verb\"\"]},{\"\"start\"\":5,\"\"end\"\":7,\"\"labels\"\":[\"\"Word\"\"]}]\",\"\","
            + "\"Say \"\"hi\"\", then go\",\"2024-01-02T10:00:00.000000Z\"", lines[1]);
        Assert.Equal("9001,\"ann@x.org\",\"2024-01-01T10:00:00.000000Z\",501,2.5,\"Happy\",3,\"\",\"héllo\",\"Say \"\"hi\"\", then go\",\"2024-01-01T10:00:00.000000Z\"", lines[2]);
        Assert.Equal("\"\",\"\",\"\",502,\"\",\"\",\"\",\"\",\"\",\"nobody looked\",\"\"", lines[3]);
        Assert.Equal("", lines[4]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public async Task Tsv_is_the_same_rows_split_by_tabs()
    {
        var csv = (await ExportAsync("CSV")).Split("\r\n");
        var tsv = (await ExportAsync("TSV")).Split("\r\n");
        Assert.Equal(csv.Length, tsv.Length);
        Assert.Equal("\"id\"", tsv[0].Split('\t')[3]);
        Assert.Equal("\"nobody looked\"", tsv[3].Split('\t')[9]);
    }
}

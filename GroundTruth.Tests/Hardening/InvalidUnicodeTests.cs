using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Core;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Hardening;

/// <summary>
/// Text that is not valid Unicode — lone surrogates (a cut emoji), NUL, invalid or overlong UTF-8 — is stored as
/// U+FFFD wherever it arrives, a field that must have a shape (a timestamp, an email) is refused with item and path,
/// and nothing stored, by an import or already in an older database, ever makes a read fail.
/// </summary>
public sealed class InvalidUnicodeTests : ApiProjectTest
{
    /// <summary>Each way text arrives broken: JSON escapes and raw bytes.</summary>
    public static readonly (string Name, byte[] Bytes)[] Shapes =
    [
        ("lone high surrogate", "\\ud800"u8.ToArray()),
        ("lone low surrogate", "\\udfff"u8.ToArray()),
        ("surrogates in the wrong order", "\\udc00\\ud83d"u8.ToArray()),
        ("half of a cut emoji at the end", "x\\ud83d"u8.ToArray()),
        ("NUL", "\\u0000"u8.ToArray()),
        ("invalid byte", [0xFF]),
        ("overlong slash", [0xC0, 0xAF]),
        ("UTF-8 encoded surrogate", [0xED, 0xA0, 0x80]),
        ("truncated sequence", [0xE2, 0x82]),
    ];

    /// <summary>Where broken text can sit in a Label Studio task; § marks the spot.</summary>
    private static readonly (string Name, string Task)[] Places =
    [
        ("data value", """{"data": {"text": "a§b"}, "annotations": [ANNOTATION]}"""),
        ("data key", """{"data": {"te§xt": "hello"}, "annotations": [ANNOTATION]}"""),
        ("meta", """{"data": {"text": "m"}, "meta": {"note": "§"}, "annotations": [ANNOTATION]}"""),
        ("choice label", """{"data": {"text": "c"}, "annotations": [{"completed_by": {"email": "a@x.org"}, "result": [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["A§"]}}]}, ANNOTATION]}"""),
        ("textarea text", """{"data": {"text": "t"}, "annotations": [{"completed_by": {"email": "a@x.org"}, "result": [{"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["§"]}}]}]}"""),
        ("result type", """{"data": {"text": "y"}, "annotations": [{"completed_by": {"email": "a@x.org"}, "result": [{"from_name": "odd", "to_name": "text", "type": "cho§ices", "value": {"x": 1}}]}]}"""),
        ("from_name", """{"data": {"text": "f"}, "annotations": [{"completed_by": {"email": "a@x.org"}, "result": [{"from_name": "senti§ment", "to_name": "text", "type": "choices", "value": {"choices": ["A"]}}]}]}"""),
        ("annotator's name", """{"data": {"text": "n"}, "annotations": [{"completed_by": {"email": "named@x.org", "first_name": "Bo§b"}, "result": []}]}"""),
        ("model_version", """{"data": {"text": "v"}, "annotations": [ANNOTATION], "predictions": [{"model_version": "v§1", "result": [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["A"]}}]}]}"""),
        ("unknown task field name", """{"data": {"text": "u"}, "no§te": 1, "annotations": [ANNOTATION]}"""),
        ("unknown annotation field value", """{"data": {"text": "w"}, "annotations": [{"completed_by": {"email": "a@x.org"}, "comment": "§", "result": []}]}"""),
    ];

    /// <summary>Fields that must have a shape: broken text there is refused, with the path.</summary>
    private static readonly (string Path, string Task)[] Shaped =
    [
        ("$[0].created_at", """{"data": {"text": "d"}, "created_at": "2025-01-01T00:00:00§Z"}"""),
        ("$[0].annotations[0].completed_by.email", """{"data": {"text": "e"}, "annotations": [{"completed_by": {"email": "b§b@x.org"}, "result": []}]}"""),
        ("$[0].annotations[0].updated_at", """{"data": {"text": "d"}, "annotations": [{"completed_by": {"email": "a@x.org"}, "updated_at": "2025§-01-01", "result": []}]}"""),
        ("$[0].predictions[0].created_at", """{"data": {"text": "d"}, "predictions": [{"created_at": "§", "result": []}]}"""),
    ];

    private const string Annotation = """{"completed_by": {"email": "a@x.org"}, "result": [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["A"]}}]}""";


    private static byte[] File(string task, byte[] bad)
    {
        var text = "[" + task.Replace("ANNOTATION", Annotation, StringComparison.Ordinal) + "]";
        var at = text.IndexOf('§', StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. bad, .. Encoding.UTF8.GetBytes(text[(at + 1)..])];
    }

    private Task<HttpResponseMessage> ImportAsync(byte[] file, long? project = null)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Admin.PostAsync($"/api/projects/{project ?? Project}/import", content);
    }

    [Fact]
    public async Task Broken_text_anywhere_in_a_task_is_stored_as_U_FFFD_and_every_read_still_works()
    {
        foreach (var (place, task) in Places)
        {
            foreach (var (shape, bytes) in Shapes)
            {
                var result = await EverythingReads.ExpectAsync(await ImportAsync(File(task, bytes)), HttpStatusCode.OK);
                Assert.True(result["replaced_characters"]!.GetValue<int>() >= 1, $"{place}, {shape}: {result}");
            }
        }

        var ids = await EverythingReads.AssertApiAsync(Admin, Project);
        await EverythingReads.AssertPagesAsync(Factory.Services, await EverythingReads.AdministratorAsync(Factory.Services), Project, ids);
    }

    [Fact]
    public async Task The_replacement_sits_where_the_broken_text_was()
    {
        var project = await Factory.CreateProjectAsync("One");
        await EverythingReads.ExpectAsync(await ImportAsync(File(Places[0].Task, "\\ud83d"u8.ToArray()), project), HttpStatusCode.OK);
        await EverythingReads.ExpectAsync(await ImportAsync(File(Places[0].Task, [0xC0, 0xAF]), project), HttpStatusCode.OK);
        // A whole emoji, escaped or not, is left alone.
        var whole = await EverythingReads.ExpectAsync(await ImportAsync(File(Places[0].Task, [.. "\\ud83d\\ude00"u8, 0xF0, 0x9F, 0x98, 0x80]), project), HttpStatusCode.OK);
        Assert.Equal(0, whole["replaced_characters"]!.GetValue<int>());

        var tasks = JsonNode.Parse(await Admin.GetStringAsync($"/api/tasks?project={project}"))!["tasks"]!.AsArray();
        // An overlong sequence is two bytes that can never start a character: each is replaced (Unicode's "maximal subpart").
        Assert.Equal(["a\uFFFDb", "a\uFFFD\uFFFDb", "a😀😀b"], tasks.Select(t => t!["data"]!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Broken_text_in_a_timestamp_or_email_is_refused_with_item_and_path_and_nothing_is_written()
    {
        var before = await SnapshotAsync();
        foreach (var (path, task) in Shaped)
        {
            foreach (var (shape, bytes) in Shapes)
            {
                // A good task first: the import is all or nothing, so it must not stay behind either.
                var file = File("""{"data": {"text": "fine"}}, """ + task, bytes);
                var problem = await EverythingReads.ExpectAsync(await ImportAsync(file), HttpStatusCode.BadRequest);
                Assert.True(problem["item"]!.GetValue<int>() == 1, $"{path}, {shape}: {problem}");
                Assert.Equal(path.Replace("$[0]", "$[1]", StringComparison.Ordinal), problem["path"]!.GetValue<string>());
            }
        }
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_database_that_already_holds_broken_text_reads_everywhere()
    {
        await using (var connection = await Factory.Store.OpenAsync())
        {
            await using var write = connection.CreateCommand();
            // What an older version stored as it arrived: escapes of lone surrogates and NUL, and (SQLite only, as
            // PostgreSQL refuses invalid UTF-8 in text) raw invalid bytes.
            write.CommandText = """
                UPDATE tasks SET data = '{"text": "old\ud800 \u0000 text", "k\udc00": 1}', meta = '{"m": "\ud83d"}',
                  extra = '{"x\ud800": "\udfff"}' WHERE project_id = @p AND id = (SELECT MIN(id) FROM tasks WHERE project_id = @p);
                UPDATE annotation_results SET result = '[{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["A\ud800"]}}]',
                  extra = '{"comment": "\u0000"}'
                  WHERE id = (SELECT MIN(a.id) FROM annotations a JOIN tasks t ON t.id = a.task_id WHERE t.project_id = @p);
                """ + (TestStore.IsPostgres ? "" : """
                UPDATE tasks SET data = CAST(X'7B2274657874223A2261FF62C0AF227D' AS TEXT) WHERE project_id = @p AND id = (SELECT MAX(id) FROM tasks WHERE project_id = @p);
                """);
            var project = write.CreateParameter();
            (project.ParameterName, project.Value) = ("@p", Project);
            write.Parameters.Add(project);
            await write.ExecuteNonQueryAsync();
        }

        var ids = await EverythingReads.AssertApiAsync(Admin, Project);
        await EverythingReads.AssertPagesAsync(Factory.Services, await EverythingReads.AdministratorAsync(Factory.Services), Project, ids);
        var first = JsonNode.Parse(await Admin.GetStringAsync($"/api/tasks/{ids[0]}"))!;
        Assert.Equal("old\uFFFD \uFFFD text", first["data"]!["text"]!.GetValue<string>());

        // Its export imports again, into a project of its own.
        var export = await Admin.GetByteArrayAsync($"/api/projects/{Project}/export");
        var copy = await Factory.CreateProjectAsync("Copy");
        await EverythingReads.ExpectAsync(await ImportAsync(export, copy), HttpStatusCode.OK);
    }

    /// <summary>Every other way text reaches the database: each body with § where a string goes.</summary>
    private static readonly (string Name, HttpMethod Method, string Url, string Body)[] WritePaths =
    [
        ("project title", HttpMethod.Post, "/api/projects", """{"title": "Bird§s"}"""),
        ("token name", HttpMethod.Post, "/api/account/tokens", """{"name": "scr§ipt"}"""),
        ("user email", HttpMethod.Post, "/api/users", """{"email": "u§@x.org", "password": "Password-1234"}"""),
        ("user display name", HttpMethod.Post, "/api/users", """{"email": "named@x.org", "password": "Password-1234", "display_name": "Na§me"}"""),
        ("user password", HttpMethod.Post, "/api/users", """{"email": "pw@x.org", "password": "Password-1234§"}"""),
        ("member email", HttpMethod.Post, "/api/projects/PROJECT/members", """{"email": "a§@x.org"}"""),
        ("scoring weight's control", HttpMethod.Put, "/api/projects/PROJECT/scoring-settings", """{"weights": {"senti§ment": 2}}"""),
        ("bulk action's annotator", HttpMethod.Post, "/api/dm/actions?id=set_ground_truths&project=PROJECT", """{"selectedItems": {"all": true}, "annotator": "a§@x.org", "dry_run": true}"""),
        ("bulk action's filter value", HttpMethod.Post, "/api/dm/actions?id=delete_ground_truths&project=PROJECT",
            """{"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:data.text", "operator": "contains", "type": "String", "value": "a§"}]}, "selectedItems": {"all": true}}"""),
        ("task query in the URL", HttpMethod.Get, "/api/tasks?project=PROJECT&query=QUERY",
            """{"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:data.t§ext", "operator": "contains", "type": "String", "value": "a§"}]}}"""),
    ];

    [Fact]
    public async Task Broken_text_through_every_other_write_path_is_refused_by_name_or_stored_as_U_FFFD_and_everything_still_reads()
    {
        var outcomes = new List<string>();
        foreach (var (name, method, url, body) in WritePaths)
        {
            foreach (var (shape, bytes) in Shapes)
            {
                var request = new HttpRequestMessage(method, url.Replace("PROJECT", Project.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
                var text = File(body, bytes)[1..^1]; // File wraps the task in [ ]
                if (method == HttpMethod.Get)
                {
                    request.RequestUri = new Uri(request.RequestUri!.OriginalString.Replace("QUERY", Uri.EscapeDataString(Encoding.UTF8.GetString(text)), StringComparison.Ordinal), UriKind.Relative);
                }
                else
                {
                    request.Content = new ByteArrayContent(text) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
                }
                using var response = await Admin.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode < 500, $"{name}, {shape}: {(int)response.StatusCode} {answer}");
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    // Refused: the answer says where.
                    Assert.True(answer.Contains("$.", StringComparison.Ordinal) || answer.Contains("\"field\"", StringComparison.Ordinal) || answer.Contains("Filter 1", StringComparison.Ordinal),
                        $"{name}, {shape}: {answer}");
                }
                outcomes.Add($"{name}, {shape}: {(int)response.StatusCode}");
            }
        }

        var ids = await EverythingReads.AssertApiAsync(Admin, Project);
        await EverythingReads.AssertPagesAsync(Factory.Services, await EverythingReads.AdministratorAsync(Factory.Services), Project, ids);
        Assert.Equal(WritePaths.Length * Shapes.Length, outcomes.Count);
    }

    [Fact]
    public void Repair_replaces_each_broken_sequence_once_and_leaves_valid_text_alone()
    {
        Assert.Null(UnicodeRepair.RepairJson("""{"a": "ok \u00e9 \ud83d\ude00 \\ud800 \n"}"""u8, out var none));
        Assert.Equal(0, none);
        var repaired = UnicodeRepair.RepairJson([.. "\"\\ud800\\ud800\\udc00 "u8, 0xFF, 0xC0, 0xAF, .. "\\u0000\""u8], out var count);
        // The second \ud800 pairs with \udc00; 0xC0 0xAF is two invalid bytes, each replaced.
        Assert.Equal("\"\\ufffd\\ud800\\udc00 \uFFFD\uFFFD\uFFFD\\ufffd\"", Encoding.UTF8.GetString(repaired!));
        Assert.Equal(5, count);
        Assert.Equal("a\uFFFDb\uFFFD", UnicodeRepair.RepairText("a\uD800b\0"));
        const string clean = """{"t": "plain"}""";
        Assert.Same(clean, UnicodeRepair.RepairJson(clean));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GroundTruth.Tests.Support;
using GroundTruth.Web.Auth;

namespace GroundTruth.Tests.Hardening;

/// <summary>
/// The hardening suite: bad inputs of every class a user can send — imports, filters, orderings, ids, bodies, settings,
/// users, sign-in — each answered with its status (never a 500), a message naming the field (item and JSON path for
/// imports), the database byte for byte unchanged, and every list, endpoint and page still working afterwards.
/// </summary>
public sealed class BadInputTests(HardeningWorld world) : IClassFixture<HardeningWorld>
{
    /// <param name="Names">What the answer's message must mention: the field, filter or part at fault.</param>
    public sealed record BadInput(string Class, string Name, Func<HardeningWorld, Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Names,
        int? Item = null, string? Path = null)
    {
        public override string ToString() => $"{Class}: {Name}";
    }

    private static readonly HttpStatusCode Bad = HttpStatusCode.BadRequest;

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static Func<HardeningWorld, Task<HttpResponseMessage>> Import(string file) => w => w.Admin.PostAsync($"/api/projects/{w.Project}/import", Body(file));

    private static BadInput ImportCase(string name, string file, int item, string path, string names) => new("import", name, Import(file), Bad, names, item, path);

    private static Func<HardeningWorld, Task<HttpResponseMessage>> Query(string query) =>
        w => w.Admin.GetAsync($"/api/tasks?project={w.Project}&query={Uri.EscapeDataString(query)}");

    private static string Filter(string column, string op, string type, string value, string conjunction = "and") =>
        $$$"""{"filters": {"conjunction": "{{{conjunction}}}", "items": [{"filter": "filter:tasks:{{{column}}}", "operator": "{{{op}}}", "type": "{{{type}}}", "value": {{{value}}}}]}}""";

    private static BadInput FilterCase(string name, string query, string names = "Filter 1") => new("filter", name, Query(query), Bad, names);

    private static Func<HardeningWorld, Task<HttpResponseMessage>> Send(HttpMethod method, Func<HardeningWorld, string> url, string? body = null) =>
        w => w.Admin.SendAsync(new HttpRequestMessage(method, url(w)) { Content = body is null ? null : Body(body) });

    private static BadInput Settings(string name, string body, string names) =>
        new("settings", name, Send(HttpMethod.Put, w => $"/api/projects/{w.Project}/scoring-settings", body), Bad, names);

    private static BadInput User(string name, string body, string names) => new("users", name, Send(HttpMethod.Post, _ => "/api/users", body), Bad, names);

    private static BadInput Action(string name, string id, string body, string names) =>
        new("bodies", name, Send(HttpMethod.Post, w => $"/api/dm/actions?id={id}&project={w.Project}", body), Bad, names);

    private static Func<HardeningWorld, Task<HttpResponseMessage>> SignIn(string email, string password, string returnUrl = "%2F") => async w =>
    {
        using var session = new BrowserSession(w.Factory);
        var response = await session.SignInAsync(email, password, returnUrl);
        Assert.False(await session.IsSignedInAsync());
        return response;
    };

    private static readonly string Good = """{"data": {"text": "good"}, "annotations": [{"completed_by": {"email": "a@x.org"}, "result": []}]}""";

    public static readonly BadInput[] Cases =
    [
        // Imports: the whole file is refused, naming the item and the JSON path.
        ImportCase("not JSON", "hello", 0, "$", "expected a task object"),
        ImportCase("an empty file", "", 0, "$", "empty"),
        ImportCase("no tasks", "[]", 0, "$", "no tasks"),
        ImportCase("cut off in the second task", $"[{Good}, {{\"data\": ", 1, "$[1]", "not valid JSON"),
        ImportCase("a task that is a number", "[1]", 0, "$[0]", "a task must be a JSON object"),
        ImportCase("data as text", """[{"data": "just text"}]""", 0, "$[0].data", "data must be a JSON object"),
        ImportCase("meta as a list", """[{"data": {}, "meta": [1]}]""", 0, "$[0].meta", "meta must be a JSON object"),
        ImportCase("annotations as an object", """[{"data": {}, "annotations": {"a": 1}}]""", 0, "$[0].annotations", "annotations must be a list"),
        ImportCase("a result that is text", """[{"data": {}, "annotations": [{"result": "A"}]}]""", 0, "$[0].annotations[0].result", "result must be a list"),
        ImportCase("a result item without a type", """[{"data": {}, "annotations": [{"result": [{"from_name": "x", "value": {}}]}]}]""", 0, "$[0].annotations[0].result[0].type", "type"),
        ImportCase("a numeric from_name", """[{"data": {}, "annotations": [{"result": [{"type": "choices", "from_name": 5, "value": {}}]}]}]""", 0, "$[0].annotations[0].result[0].from_name", "from_name"),
        ImportCase("a value that is a list", """[{"data": {}, "annotations": [{"result": [{"type": "choices", "from_name": "x", "value": []}]}]}]""", 0, "$[0].annotations[0].result[0].value", "value"),
        ImportCase("was_cancelled as text", """[{"data": {}, "annotations": [{"was_cancelled": "yes"}]}]""", 0, "$[0].annotations[0].was_cancelled", "was_cancelled"),
        ImportCase("ground_truth as a number", """[{"data": {}, "annotations": [{"ground_truth": 1}]}]""", 0, "$[0].annotations[0].ground_truth", "ground_truth"),
        ImportCase("a created_at that is not a time", """[{"data": {}, "created_at": "yesterday"}]""", 0, "$[0].created_at", "created_at"),
        ImportCase("lead_time as text", """[{"data": {}, "annotations": [{"lead_time": "slow"}]}]""", 0, "$[0].annotations[0].lead_time", "lead_time"),
        ImportCase("completed_by as true", """[{"data": {}, "annotations": [{"completed_by": true}]}]""", 0, "$[0].annotations[0].completed_by", "completed_by"),
        ImportCase("an email without @", """[{"data": {}, "annotations": [{"completed_by": {"email": "bob"}}]}]""", 0, "$[0].annotations[0].completed_by.email", "email"),
        ImportCase("an email of 300 characters", $$$"""[{"data": {}, "annotations": [{"completed_by": {"email": "{{{new string('b', 290)}}}@x.org"}}]}]""", 0, "$[0].annotations[0].completed_by.email", "254"),
        ImportCase("an email with a lone surrogate", """[{"data": {}, "annotations": [{"completed_by": {"email": "b\ud800@x.org"}}]}]""", 0, "$[0].annotations[0].completed_by.email", "email"),
        ImportCase("a fractional id", """[{"id": 1.5, "data": {}}]""", 0, "$[0].id", "id must be an integer"),
        ImportCase("a score as text", """[{"data": {}, "predictions": [{"score": "high"}]}]""", 0, "$[0].predictions[0].score", "score"),
        ImportCase("a model_version object", """[{"data": {}, "predictions": [{"model_version": {"v": 1}}]}]""", 0, "$[0].predictions[0].model_version", "model_version"),
        ImportCase("a good task then a bad one", $$"""[{{Good}}, {"data": {}, "annotations": [{"result": 7}]}]""", 1, "$[1].annotations[0].result", "result"),
        ImportCase("nesting 200 deep", "[{\"data\": {\"x\": " + new string('[', 200) + new string(']', 200) + "}}]", 0, "$[0]", "not valid JSON"),
        new("import", "a multipart body without its boundary", async w =>
        {
            var content = new StringContent(Good, Encoding.UTF8);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=never-sent");
            return await w.Admin.PostAsync($"/api/projects/{w.Project}/import", content);
        }, Bad, "multipart"),
        new("import", "a multipart form without a file", async w =>
        {
            using var form = new MultipartFormDataContent { { new StringContent("x"), "comment" } };
            return await w.Admin.PostAsync($"/api/projects/{w.Project}/import", form);
        }, Bad, "file"),
        new("import", "into a project that does not exist", w => w.Admin.PostAsync("/api/projects/987654/import", Body($"[{Good}]")), HttpStatusCode.NotFound, "Project 987654"),

        // Filters: refused naming the filter and what is allowed.
        FilterCase("a query that is not JSON", "{filters:", "not valid JSON"),
        FilterCase("an unknown column", Filter("nope", "equal", "Number", "1"), "unknown column 'nope'"),
        FilterCase("an unknown operator", Filter("agreement", "near", "Number", "1"), "unknown operator 'near'"),
        FilterCase("the wrong value type", Filter("agreement", "equal", "Boolean", "true"), "unknown value type 'Boolean'"),
        FilterCase("a null item", """{"filters": {"conjunction": "and", "items": [null]}}""", "Filter 1 is empty"),
        FilterCase("NaN as a number", Filter("total_annotations", "equal", "Number", "\"NaN\""), "finite number"),
        FilterCase("Infinity as a number", Filter("agreement", "less", "Number", "\"-Infinity\""), "finite number"),
        FilterCase("a number too large for a double", Filter("id", "greater", "Number", "1e400"), "finite number"),
        FilterCase("a range without max", Filter("agreement", "in", "Number", """{"min": 0}"""), "operator 'in' takes a value"),
        FilterCase("a regex that does not parse", Filter("data.text", "regex", "String", "\"(\""), "not a valid regular expression"),
        FilterCase("a regex with a backreference", Filter("data.text", "regex", "String", "\"(a)\\\\1\""), "backtracking"),
        FilterCase("a regex of 1,001 characters", Filter("data.text", "regex", "String", $"\"{new string('a', 1001)}\""), "at most 1000 characters"),
        FilterCase("a date that is not a date", Filter("created_at", "less", "Datetime", "\"tomorrow\""), "date and time"),
        FilterCase("an annotator given as an object", Filter("annotators", "contains", "List", """{"id": 1}"""), "member id"),
        FilterCase("an unknown conjunction", Filter("agreement", "less", "Number", "1", conjunction: "xor"), "conjunction 'xor'"),
        FilterCase("a filter not named filter:tasks:", """{"filters": {"conjunction": "and", "items": [{"filter": "agreement", "operator": "less", "type": "Number", "value": 1}]}}""", "filter:tasks:<column>"),

        // Orderings and paging.
        FilterCase("ordering by an unknown column", """{"ordering": ["tasks:nope"]}""", "Cannot order by 'nope'"),
        FilterCase("an ordering without tasks:", """{"ordering": ["-id"]}""", "Unknown ordering '-id'"),
        FilterCase("a null ordering entry", """{"ordering": [null]}""", "ordering entry is empty"),
        FilterCase("ordering as text", """{"ordering": "tasks:id"}""", "not valid JSON"),
        new("paging", "page 0", w => w.Admin.GetAsync($"/api/tasks?project={w.Project}&page=0"), Bad, "page starts at 1"),
        new("paging", "a page size of 5,000", w => w.Admin.GetAsync($"/api/tasks?project={w.Project}&page_size=5000"), Bad, "page_size"),
        new("paging", "a page that is not a number", w => w.Admin.GetAsync($"/api/tasks?project={w.Project}&page=two"), Bad, "page"),
        new("paging", "no project", w => w.Admin.GetAsync("/api/tasks"), Bad, "project"),

        // Ids: unknown, negative, or of another project.
        new("ids", "an unknown task", w => w.Admin.GetAsync("/api/tasks/987654"), HttpStatusCode.NotFound, "Task 987654"),
        new("ids", "a negative task id", w => w.Admin.GetAsync("/api/tasks/-5"), HttpStatusCode.NotFound, "Task -5"),
        new("ids", "an unknown annotation", Send(HttpMethod.Patch, _ => "/api/annotations/987654", "{\"ground_truth\": true}"), HttpStatusCode.NotFound, "Annotation 987654"),
        new("ids", "a task of another project's matrix", w => w.Admin.GetAsync($"/api/projects/{w.Project}/tasks/{w.ElsewhereTask}/agreement-matrix"), HttpStatusCode.NotFound, $"Task"),
        new("ids", "removing a member who is not one", Send(HttpMethod.Delete, w => $"/api/projects/{w.Project}/members/987654"), HttpStatusCode.NotFound, "Member 987654"),
        new("ids", "revoking an unknown token", Send(HttpMethod.Delete, _ => "/api/account/tokens/987654"), HttpStatusCode.NotFound, "Token 987654"),

        // Bodies.
        new("bodies", "a star without ground_truth", Send(HttpMethod.Patch, w => $"/api/annotations/{w.Annotation}", "{}"), Bad, "ground_truth"),
        new("bodies", "ground_truth as text", Send(HttpMethod.Patch, w => $"/api/annotations/{w.Annotation}", "{\"ground_truth\": \"yes\"}"), Bad, "ground_truth"),
        new("bodies", "a star body that is not JSON", Send(HttpMethod.Patch, w => $"/api/annotations/{w.Annotation}", "ground_truth=true"), Bad, "JSON"),
        new("bodies", "a project without a title", Send(HttpMethod.Post, _ => "/api/projects", "{\"title\": \"  \"}"), Bad, "title"),
        new("bodies", "a project title of 201 characters", Send(HttpMethod.Post, _ => "/api/projects", $"{{\"title\": \"{new string('t', 201)}\"}}"), Bad, "title"),
        new("bodies", "a project title that is a number", Send(HttpMethod.Post, _ => "/api/projects", "{\"title\": 5}"), Bad, "$.title"),
        Action("an unknown action", "erase_everything", "{\"selectedItems\": {\"all\": true}}", "Unknown action 'erase_everything'"),
        Action("an action without selectedItems", "delete_ground_truths", "{}", "selectedItems"),
        Action("set ground truths without an annotator", "set_ground_truths", "{\"selectedItems\": {\"all\": true}}", "annotator"),
        Action("set ground truths from an unknown annotator", "set_ground_truths", "{\"selectedItems\": {\"all\": true}, \"annotator\": \"ghost@x.org\"}", "ghost@x.org"),
        Action("a null in the included ids", "delete_ground_truths", "{\"selectedItems\": {\"all\": false, \"included\": [null]}}", "$.selectedItems.included"),
        Action("an action filter with a null item", "delete_ground_truths", "{\"filters\": {\"conjunction\": \"and\", \"items\": [null]}, \"selectedItems\": {\"all\": true}}", "Filter 1 is empty"),
        new("bodies", "adding a member with an unknown email", Send(HttpMethod.Post, w => $"/api/projects/{w.Project}/members", "{\"email\": \"ghost@x.org\"}"), Bad, "ghost@x.org"),
        new("bodies", "a token without a name", Send(HttpMethod.Post, _ => "/api/account/tokens", "{\"name\": \"\"}"), Bad, "name"),
        new("bodies", "a token name of 101 characters", Send(HttpMethod.Post, _ => "/api/account/tokens", $"{{\"name\": \"{new string('n', 101)}\"}}"), Bad, "name"),

        // Scoring settings.
        Settings("a threshold of 0", "{\"threshold\": 0}", "threshold"),
        Settings("a threshold over 1", "{\"threshold\": 1.5}", "threshold"),
        Settings("a threshold as text", "{\"threshold\": \"half\"}", "$.threshold"),
        Settings("methodology 7", "{\"methodology\": 7}", "methodology"),
        Settings("an unknown methodology", "{\"methodology\": \"voting\"}", "$.methodology"),
        Settings("a negative weight", "{\"weights\": {\"sentiment\": -1}}", "weights"),
        Settings("a weight for an empty control name", "{\"weights\": {\"\": 1}}", "weights"),
        Settings("a negative number tolerance", "{\"number_tolerance\": -0.1}", "number_tolerance"),
        Settings("a keypoint sigma of 0", "{\"keypoint_sigma\": 0}", "keypoint_sigma"),

        // Users.
        User("role 99", "{\"email\": \"new1@x.org\", \"password\": \"Password-1234\", \"role\": 99}", "role"),
        User("an unknown role name", "{\"email\": \"new2@x.org\", \"password\": \"Password-1234\", \"role\": \"superuser\"}", "$.role"),
        User("an email of 10,000 characters", $"{{\"email\": \"{new string('e', 9990)}@x.org\", \"password\": \"Password-1234\"}}", "email"),
        User("an email without @", "{\"email\": \"new3\", \"password\": \"Password-1234\"}", "email"),
        User("a short password", "{\"email\": \"new4@x.org\", \"password\": \"short\"}", "Passwords must be at least 10 characters"),
        User("an email already in use", $"{{\"email\": \"{ApiFactory.AdminEmail}\", \"password\": \"Password-1234\"}}", "is already taken"),
        User("a display name of 101 characters", $"{{\"email\": \"new5@x.org\", \"password\": \"Password-1234\", \"display_name\": \"{new string('d', 101)}\"}}", "display_name"),

        // Sign-in: the same words whatever is wrong, never a 500, never signed in.
        new("sign-in", "an unknown email", SignIn("ghost@x.org", "Password-1234"), HttpStatusCode.OK, PasswordSignIn.Failed),
        new("sign-in", "a wrong password", SignIn(ApiFactory.AdminEmail, "not-the-password"), HttpStatusCode.OK, PasswordSignIn.Failed),
        new("sign-in", "an email of 10,000 characters", SignIn(new string('e', 9990) + "@x.org", "Password-1234"), HttpStatusCode.OK, PasswordSignIn.Failed),
        new("sign-in", "a non-ASCII return URL with a wrong password", SignIn(ApiFactory.AdminEmail, "wrong-password", "%2F%C3%A9t%C3%A9"), HttpStatusCode.OK, PasswordSignIn.Failed),
        new("sign-in", "a post without the antiforgery token", w => new BrowserSession(w.Factory).Client.PostAsync("/account/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "signin", ["Input.Email"] = ApiFactory.AdminEmail, ["Input.Password"] = ApiFactory.AdminPassword })), Bad, "antiforgery"),
        new("sign-in", "a sign-out without the antiforgery token", w => w.Admin.PostAsync("/account/logout", new FormUrlEncodedContent([])), Bad, "antiforgery"),
    ];

    public static IEnumerable<object[]> Names() => Cases.Select(c => new object[] { c.ToString() });

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_bad_input_gets_its_status_names_the_field_changes_nothing_and_everything_still_reads(string name)
    {
        var bad = Cases.Single(c => c.ToString() == name);
        var before = await world.Factory.SnapshotAsync();

        using var response = await bad.Send(world);

        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == bad.Status, $"{name}: expected {(int)bad.Status}, got {(int)response.StatusCode}: {body}");
        Assert.True(body.Contains(bad.Names, StringComparison.Ordinal), $"{name}: the answer does not mention '{bad.Names}': {body}");
        if (bad.Item is { } item)
        {
            var problem = System.Text.Json.Nodes.JsonNode.Parse(body)!;
            Assert.Equal(item, problem["item"]!.GetValue<int>());
            Assert.Equal(bad.Path, problem["path"]!.GetValue<string>());
        }
        Assert.Equal(before, await world.Factory.SnapshotAsync());

        var tasks = await EverythingReads.AssertApiAsync(world.Admin, world.Project);
        await EverythingReads.AssertPagesAsync(world.Factory.Services, world.AdminActor, world.Project, tasks);
    }

    [Fact]
    public void The_suite_covers_every_class_with_several_variants()
    {
        Assert.True(Cases.Length >= 60, $"{Cases.Length} cases");
        Assert.Equal(Cases.Length, Cases.Select(c => c.ToString()).Distinct().Count());
        foreach (var group in Cases.GroupBy(c => c.Class))
        {
            Assert.True(group.Count() >= 3, $"{group.Key}: {group.Count()} variants");
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Core;

public sealed class TaskQueryTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private long _project;
    private List<long> _ids = [];

    /// <summary>
    /// t0: ann + bob (GT ann), 1 prediction, city Lisbon, created Jan 1
    /// t1: ann, cancelled bob, city Osaka, created Jan 2
    /// t2: nothing, city missing, n = 5, created Jan 3
    /// t3: bob, 2 predictions, city "lisbon harbour", created Jan 4
    /// </summary>
    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _project = await _db.NewProjectAsync();
        var prediction = new JsonObject { ["model_version"] = "m1", ["result"] = new JsonArray(Fixtures.Choice("A")) };
        JsonObject Task(int day, JsonObject data, JsonArray annotations, int predictions) => new()
        {
            ["data"] = data,
            ["annotations"] = annotations,
            ["predictions"] = new JsonArray(Enumerable.Range(0, predictions).Select(_ => (JsonNode)prediction.DeepClone()).ToArray()),
            ["created_at"] = $"2025-01-0{day}T08:00:00Z",
            ["updated_at"] = $"2025-03-0{5 - day}T08:00:00Z",
        };
        await _db.ImportAsync(_project, new JsonArray(
            Task(1, new JsonObject { ["city"] = "Lisbon", ["n"] = 1 },
                [Fixtures.Annotation("ann@x.org", "A", groundTruth: true), Fixtures.Annotation("bob@x.org", "B")], 1),
            Task(2, new JsonObject { ["city"] = "Osaka", ["n"] = 2 },
                [Fixtures.Annotation("ann@x.org", "A"), Fixtures.Annotation("bob@x.org", "B", cancelled: true)], 0),
            Task(3, new JsonObject { ["n"] = 5 }, [], 0),
            Task(4, new JsonObject { ["city"] = "lisbon harbour", ["n"] = 3 }, [Fixtures.Annotation("bob@x.org", "B")], 2)).ToJsonString());
        _ids = (await _db.TasksAsync(_project)).Select(t => t.Id).ToList();
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task A_page_row_carries_when_the_task_was_completed_and_its_mean_prediction_score()
    {
        var project = await _db.NewProjectAsync();
        JsonObject At(JsonObject annotation, string createdAt)
        {
            annotation["created_at"] = createdAt;
            return annotation;
        }
        JsonObject Scored(double score) => new() { ["model_version"] = "m1", ["score"] = score, ["result"] = new JsonArray(Fixtures.Choice("A")) };
        await _db.ImportAsync(project, new JsonArray(
            new JsonObject
            {
                ["data"] = new JsonObject { ["text"] = "done" },
                // The later annotation was cancelled: completed is when the last one that counts was made.
                ["annotations"] = new JsonArray(At(Fixtures.Annotation("ann@x.org", "A"), "2025-02-03T09:30:00Z"),
                    At(Fixtures.Annotation("bob@x.org", "A", cancelled: true), "2025-02-05T09:30:00Z")),
                ["predictions"] = new JsonArray(Scored(0.5), Scored(0.75)),
            },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "open" } },
            new JsonObject
            {
                ["data"] = new JsonObject { ["text"] = "later" },
                ["annotations"] = new JsonArray(At(Fixtures.Annotation("ann@x.org", "A"), "2025-03-01T08:00:00Z")),
                ["predictions"] = new JsonArray(Scored(0.9)),
            }).ToJsonString());

        var rows = (await _db.Tasks.GetPageAsync(Actor.System, project, null, 1, 10)).Tasks;

        Assert.Equal(new DateTime(2025, 2, 3, 9, 30, 0, DateTimeKind.Utc), rows[0].CompletedAt);
        Assert.Equal(DateTimeKind.Utc, rows[0].CompletedAt!.Value.Kind);
        Assert.Equal(0.625, rows[0].PredictionScore!.Value, 6);
        Assert.Null(rows[1].CompletedAt);
        Assert.Null(rows[1].PredictionScore);

        // Both are kept by the database, whoever writes: a cancellation undone, a score changed, a prediction deleted.
        async Task SqlAsync(string sql)
        {
            await using var connection = await _db.Store.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
        await SqlAsync($"UPDATE annotations SET was_cancelled = FALSE WHERE task_id = {rows[0].Id}");
        await SqlAsync($"UPDATE predictions SET score = 0.25 WHERE task_id = {rows[0].Id} AND score = 0.5");
        var changed = (await _db.Tasks.GetPageAsync(Actor.System, project, null, 1, 10)).Tasks[0];
        Assert.Equal((new DateTime(2025, 2, 5, 9, 30, 0, DateTimeKind.Utc), 0.5), (changed.CompletedAt, changed.PredictionScore!.Value));
        await SqlAsync($"DELETE FROM predictions WHERE task_id = {rows[0].Id} AND score = 0.25");
        await SqlAsync($"DELETE FROM annotations WHERE task_id = {rows[0].Id} AND was_cancelled = FALSE AND created_at > (SELECT MIN(created_at) FROM annotations WHERE task_id = {rows[0].Id})");
        changed = (await _db.Tasks.GetPageAsync(Actor.System, project, null, 1, 10)).Tasks[0];
        Assert.Equal((new DateTime(2025, 2, 3, 9, 30, 0, DateTimeKind.Utc), 0.75), (changed.CompletedAt, changed.PredictionScore!.Value));

        // And sort like any stored column (among the tasks that have one: the providers place NULL differently).
        async Task<List<long>> SortedAsync(string column, string type, string ordering) =>
            [.. (await _db.Tasks.GetPageAsync(Actor.System, project, new TaskQuery(new TaskFilters("and", [Item(column, "empty", type, false)]), [ordering]), 1, 10))
                .Tasks.Select(t => t.Id)];
        Assert.Equal([rows[2].Id, rows[0].Id], await SortedAsync("completed_at", "Datetime", "-tasks:completed_at"));
        Assert.Equal([rows[0].Id, rows[2].Id], await SortedAsync("predictions_score", "Number", "tasks:predictions_score"));
        Assert.Equal([rows[2].Id, rows[0].Id], await SortedAsync("predictions_score", "Number", "-tasks:predictions_score"));
    }

    private static TaskFilterItem Item(string column, string op, string type, object? value) =>
        new("filter:tasks:" + column, op, type, JsonSerializer.SerializeToElement(value));

    private async Task<List<int>> MatchAsync(string conjunction, params TaskFilterItem[] items)
    {
        var page = await _db.Tasks.GetPageAsync(Actor.System, _project, new TaskQuery(new TaskFilters(conjunction, items)), 1, 100);
        Assert.Equal(page.Tasks.Count, page.Total);
        return page.Tasks.Select(t => _ids.IndexOf(t.Id)).ToList();
    }

    private Task<List<int>> MatchAsync(params TaskFilterItem[] items) => MatchAsync("and", items);

    private async Task<List<int>> OrderAsync(params string[] ordering) =>
        (await _db.Tasks.GetPageAsync(Actor.System, _project, new TaskQuery(null, ordering), 1, 100)).Tasks.Select(t => _ids.IndexOf(t.Id)).ToList();

    [Fact]
    public async Task Filters_on_every_column()
    {
        var bob = await _db.MemberIdAsync("bob@x.org");
        Assert.Equal([1, 2], await MatchAsync(Item("id", "in", "Number", new { min = _ids[1], max = _ids[2] })));
        Assert.Equal([0, 1, 3], await MatchAsync(Item("id", "not_equal", "Number", _ids[2])));
        Assert.Equal([3], await MatchAsync(Item("inner_id", "greater", "Number", 3)));
        Assert.Equal([0], await MatchAsync(Item("ground_truth", "equal", "Boolean", true)));
        Assert.Equal([1, 2, 3], await MatchAsync(Item("ground_truth", "equal", "Boolean", false)));
        Assert.Equal([1, 2, 3], await MatchAsync(Item("ground_truth", "not_equal", "Boolean", true)));
        Assert.Equal([0], await MatchAsync(Item("total_annotations", "greater_or_equal", "Number", 2)));
        Assert.Equal([1], await MatchAsync(Item("cancelled_annotations", "equal", "Number", 1)));
        Assert.Equal([2], await MatchAsync(Item("total_predictions", "less", "Number", 1), Item("total_annotations", "less_or_equal", "Number", 0)));
        Assert.Equal([0, 1, 3], await MatchAsync(Item("annotators", "contains", "List", bob)));
        Assert.Equal([0, 1], await MatchAsync(Item("annotators", "contains", "List", "ANN@x.org")));
        Assert.Equal([2, 3], await MatchAsync(Item("annotators", "not_contains", "List", "ann@x.org")));
        Assert.Equal([2], await MatchAsync(Item("annotators", "empty", "List", true)));
        Assert.Equal([2, 3], await MatchAsync(Item("created_at", "greater", "Datetime", "2025-01-02T12:00:00Z")));
        Assert.Equal([1, 2], await MatchAsync(Item("created_at", "in", "Datetime", new { min = "2025-01-02T00:00:00Z", max = "2025-01-03T23:00:00Z" })));
        Assert.Equal([0, 1], await MatchAsync(Item("updated_at", "greater_or_equal", "Datetime", "2025-03-03T00:00:00Z")));
        Assert.Equal([0], await MatchAsync(Item("data.city", "equal", "String", "Lisbon")));
        Assert.Equal([1, 2, 3], await MatchAsync(Item("data.city", "not_equal", "String", "Lisbon")));
        Assert.Equal([0, 3], await MatchAsync(Item("data.city", "contains", "String", "LISBON")));
        Assert.Equal([1, 2], await MatchAsync(Item("data.city", "not_contains", "String", "lisbon")));
        Assert.Equal([0, 1], await MatchAsync(Item("data.city", "regex", "String", "^[A-Z][a-z]+$")));
        Assert.Equal([2], await MatchAsync(Item("data.city", "empty", "String", true)));
        Assert.Equal([2, 3], await MatchAsync(Item("data.n", "greater", "Number", 2)));
    }

    [Fact]
    public async Task Label_Studios_other_columns_and_the_ground_truths_annotator()
    {
        var bob = await _db.MemberIdAsync("bob@x.org");
        // completed_at: the newest annotation that was not cancelled (each fixture annotation is created 2025-02-01 10:00).
        Assert.Equal([0, 1, 3], await MatchAsync(Item("completed_at", "greater", "Datetime", "2025-02-01T09:00:00Z")));
        Assert.Equal([2], await MatchAsync(Item("completed_at", "empty", "Datetime", true)));
        Assert.Equal([0], await MatchAsync(Item("ground_truth_annotator", "contains", "List", "ann@x.org")));
        Assert.Empty(await MatchAsync(Item("ground_truth_annotator", "equal", "List", bob)));
        Assert.Equal([1, 2, 3], await MatchAsync(Item("ground_truth_annotator", "not_contains", "List", "ann@x.org")));
        Assert.Equal([1, 2, 3], await MatchAsync(Item("ground_truth_annotator", "empty", "List", true)));
        Assert.Equal([0, 3], await MatchAsync(Item("predictions_model_versions", "contains", "List", "m1")));
        Assert.Equal([1, 2], await MatchAsync(Item("predictions_model_versions", "not_contains", "List", "m1")));
        Assert.Empty(await MatchAsync(Item("predictions_model_versions", "contains", "List", "m2")));
        Assert.Equal([1, 2], await MatchAsync(Item("predictions_model_versions", "empty", "List", true)));
        // Results are searched as their JSON text, case-insensitively; bob's cancelled B on t1 counts too.
        Assert.Equal([0, 1], await MatchAsync(Item("annotations_results", "contains", "String", "\"a\"")));
        Assert.Equal([0, 1, 3], await MatchAsync(Item("annotations_results", "contains", "String", "\"b\"")));
        Assert.Equal([2, 3], await MatchAsync(Item("annotations_results", "not_contains", "String", "\"A\"")));
        Assert.Equal([0, 3], await MatchAsync(Item("predictions_results", "contains", "String", "choices")));
        Assert.Empty(await MatchAsync(Item("predictions_results", "contains", "String", "%")));

        // predictions_score is the mean of a task's prediction scores, as in Label Studio.
        var scored = await _db.NewProjectAsync();
        JsonObject Prediction(string version, double? score) => new() { ["model_version"] = version, ["score"] = score, ["result"] = new JsonArray(Fixtures.Choice("A")) };
        await _db.ImportAsync(scored, new JsonArray(
            new JsonObject { ["data"] = new JsonObject { ["text"] = "a" }, ["predictions"] = new JsonArray(Prediction("m1", 0.2), Prediction("m2", 0.6)) },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "b" }, ["predictions"] = new JsonArray(Prediction("m2", 0.9)) },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "c" }, ["predictions"] = new JsonArray(Prediction("m1", null)) }).ToJsonString());
        var texts = async (TaskFilterItem item) => (await _db.Tasks.GetPageAsync(Actor.System, scored, new TaskQuery(new TaskFilters("and", [item])), 1, 100))
            .Tasks.Select(t => t.Data.GetProperty("text").GetString()).ToList();
        Assert.Equal(["a"], await texts(Item("predictions_score", "in", "Number", new { min = 0.35, max = 0.45 })));
        Assert.Equal(["b"], await texts(Item("predictions_score", "greater", "Number", 0.5)));
        Assert.Equal(["c"], await texts(Item("predictions_score", "empty", "Number", true)));
        Assert.Equal(["a", "b"], await texts(Item("predictions_model_versions", "contains", "List", "m2")));
    }

    [Fact]
    public async Task Conjunctions_and_and_or()
    {
        var gt = Item("ground_truth", "equal", "Boolean", true);
        var osaka = Item("data.city", "equal", "String", "Osaka");
        Assert.Equal([], await MatchAsync("and", gt, osaka));
        Assert.Equal([0, 1], await MatchAsync("or", gt, osaka));
    }

    [Fact]
    public async Task Ordering_on_every_sortable_column()
    {
        Assert.Equal([3, 2, 1, 0], await OrderAsync("-tasks:id"));
        Assert.Equal([0, 1, 2, 3], await OrderAsync("tasks:inner_id"));
        Assert.Equal([0, 3, 2, 1], await OrderAsync("-tasks:ground_truth"));
        Assert.Equal([0, 3, 1, 2], await OrderAsync("-tasks:total_annotations"));
        Assert.Equal([1, 3, 2, 0], await OrderAsync("-tasks:cancelled_annotations"));
        Assert.Equal([3, 0, 2, 1], await OrderAsync("-tasks:total_predictions"));
        Assert.Equal([3, 2, 1, 0], await OrderAsync("-tasks:created_at"));
        Assert.Equal([3, 2, 1, 0], await OrderAsync("tasks:updated_at"));
        Assert.Equal([0, 1, 3, 2], await OrderAsync("tasks:data.n"));
        Assert.Equal([1, 2, 0, 3], await OrderAsync("tasks:total_predictions", "-tasks:total_annotations"));
    }

    [Fact]
    public async Task Pages_and_the_total()
    {
        var first = await _db.Tasks.GetPageAsync(Actor.System, _project, new TaskQuery(null, ["-tasks:id"]), 1, 3);
        var second = await _db.Tasks.GetPageAsync(Actor.System, _project, new TaskQuery(null, ["-tasks:id"]), 2, 3);
        Assert.Equal((4, 3, 1), (first.Total, first.Tasks.Count, second.Tasks.Count));
        Assert.Equal(_ids[0], second.Tasks.Single().Id);
        var row = first.Tasks.Single(t => t.Id == _ids[3]);
        Assert.Equal("lisbon harbour", row.Data.GetProperty("city").GetString());
        Assert.Equal(["bob@x.org"], row.Annotators.Select(a => a.Email));
    }

    [Theory]
    [InlineData("filter:tasks:bogus", "equal", "Number", "unknown column 'bogus'. Allowed: id, ground_truth, agreement, accuracy, total_annotations")]
    [InlineData("tasks:id", "equal", "Number", "a filter is named filter:tasks:<column>")]
    [InlineData("filter:tasks:id", "like", "Number", "unknown operator 'like' for this column. Allowed: equal")]
    [InlineData("filter:tasks:id", "equal", "String", "unknown value type 'String' for this column. Allowed: Number")]
    [InlineData("filter:tasks:ground_truth", "equal", "Boolean", "the value must be true or false")]
    [InlineData("filter:tasks:data.city", "regex", "String", "is not a valid regular expression")]
    public async Task Invalid_filters_are_rejected_with_what_is_allowed(string filter, string op, string type, string message)
    {
        var value = message.Contains("regular", StringComparison.Ordinal) ? JsonSerializer.SerializeToElement("([a-")
            : JsonSerializer.SerializeToElement("x");
        var query = new TaskQuery(new TaskFilters("and", [new TaskFilterItem(filter, op, type, value)]));

        var error = await Assert.ThrowsAsync<TaskQueryException>(() => _db.Tasks.GetPageAsync(Actor.System, _project, query, 1, 50));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tasks:bogus", "Cannot order by 'bogus'. Sortable columns: id, ground_truth, agreement, accuracy, total_annotations")]
    [InlineData("tasks:annotators", "Cannot order by 'annotators'")]
    [InlineData("id; DROP TABLE tasks", "Unknown ordering")]
    public async Task Invalid_orderings_are_rejected(string ordering, string message)
    {
        var error = await Assert.ThrowsAsync<TaskQueryException>(() => _db.Tasks.GetPageAsync(Actor.System, _project, new TaskQuery(null, [ordering]), 1, 50));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_key_is_a_value_not_sql()
    {
        var hostile = Item("data.city') OR 1=1 --", "equal", "String", "x");
        Assert.Equal([], await MatchAsync(hostile));
        Assert.Equal(4, (await _db.TasksAsync(_project)).Count);
    }

    [Fact]
    public async Task Malformed_query_json_and_bad_paging_are_query_errors()
    {
        Assert.Throws<TaskQueryException>(() => TaskQuery.Parse("{\"filters\": [}"));
        await Assert.ThrowsAsync<TaskQueryException>(() => _db.Tasks.GetPageAsync(Actor.System, _project, null, 0, 50));
        await Assert.ThrowsAsync<TaskQueryException>(() => _db.Tasks.GetPageAsync(Actor.System, _project, null, 1, 5000));
        await Assert.ThrowsAsync<TaskQueryException>(() => _db.Tasks.GetPageAsync(Actor.System, _project, new TaskQuery(new TaskFilters("xor", [Item("id", "equal", "Number", 1)])), 1, 5));
        await Assert.ThrowsAsync<NotFoundException>(() => _db.Tasks.GetPageAsync(Actor.System, 999, null, 1, 50));
    }

    [Fact]
    public async Task Ids_resolve_a_selection_in_query_order()
    {
        var ids = await _db.Tasks.GetIdsAsync(Actor.System, _project, new TaskQuery(null, ["-tasks:id"]), new TaskSelection(true, Excluded: [_ids[1]]));
        Assert.Equal([_ids[3], _ids[2], _ids[0]], ids);
    }
}

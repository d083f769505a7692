using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Core;

/// <summary>Previous/next on the review page follow the Data Manager's filter and order exactly, NULLs and ties included.</summary>
public sealed class TaskNeighboursTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private long _project;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _project = await _db.NewProjectAsync();
        var tasks = new JsonArray();
        string[] choices = ["A", "B"];
        for (var i = 0; i < 24; i++)
        {
            // 0–3 annotations: agreement is null under two, and ties are common.
            var annotations = new JsonArray();
            for (var a = 0; a < i % 4; a++)
            {
                annotations.Add(Fixtures.Annotation($"a{a}@x.org", choices[(i * 7 + a * 3) % 5 % 2], minute: a, groundTruth: a == 0 && i % 3 == 0));
            }
            tasks.Add(new JsonObject { ["data"] = new JsonObject { ["text"] = $"t{i}", ["n"] = i % 5 }, ["annotations"] = annotations });
        }
        await _db.ImportAsync(_project, tasks.ToJsonString());
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Theory]
    [InlineData("tasks:id", null)]
    [InlineData("-tasks:id", null)]
    [InlineData("tasks:agreement", null)]
    [InlineData("-tasks:agreement", null)]
    [InlineData("tasks:total_annotations", true)]
    [InlineData("-tasks:data.n", false)]
    public async Task Walking_next_and_previous_visits_the_grid_order(string ordering, bool? groundTruth)
    {
        var query = new TaskQuery(null, [ordering], groundTruth);
        var expected = await _db.Tasks.GetIdsAsync(Actor.System, _project, query, null);
        Assert.NotEmpty(expected);

        var forward = new List<long> { expected[0] };
        while (await _db.Tasks.NeighboursAsync(Actor.System, _project, query, forward[^1]) is { Next: { } next })
        {
            forward.Add(next);
        }
        var backward = new List<long> { expected[^1] };
        while (await _db.Tasks.NeighboursAsync(Actor.System, _project, query, backward[^1]) is { Previous: { } previous })
        {
            backward.Add(previous);
        }

        Assert.Equal(expected, forward);
        Assert.Equal(expected.Reverse(), backward);
    }
}

using System.Text.Json;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Core;

/// <summary>
/// Pages of a query matching thousands of tasks take another plan (the sort column's index is walked, the filters'
/// indexes are kept out): the rows must be exactly those of a plain sort.
/// </summary>
public sealed class LargePageTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private long _project;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _project = await _db.SeedAsync(3000, "ann@x.org", "bob@x.org");
        await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, _project,
            TaskQuery.Parse("""{"filters":{"conjunction":"and","items":[{"filter":"filter:tasks:data.n","operator":"less","type":"Number","value":1000}]}}"""),
            TaskSelection.Everything, GroundTruth.Core.GroundTruths.AnnotatorRef.ByEmail("bob@x.org"), dryRun: false);
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Theory]
    [InlineData("-tasks:created_at", 1)]
    [InlineData("tasks:created_at", 7)]
    [InlineData("-tasks:updated_at", 3)]
    public async Task A_page_over_thousands_of_matches_is_the_plain_sort(string ordering, int page)
    {
        // 2,000 tasks without ground truth match: enough to walk the created_at/updated_at index.
        var query = new TaskQuery(new TaskFilters("and",
            [new TaskFilterItem("filter:tasks:total_annotations", "greater_or_equal", "Number", JsonSerializer.SerializeToElement(2))]),
            [ordering], GroundTruth: false);

        var result = await _db.Tasks.GetPageAsync(Actor.System, _project, query, page, 50);

        var tasks = (await _db.TasksAsync(_project)).Where(t => !t.Sheet!.HasGroundTruth && t.TotalAnnotations >= 2).ToList();
        Assert.Equal(2000, result.Total);
        Func<GroundTruth.Core.Model.LabelTask, DateTime> key = ordering.EndsWith("created_at", StringComparison.Ordinal) ? t => t.CreatedAt : t => t.UpdatedAt;
        var expected = (ordering.StartsWith('-') ? tasks.OrderByDescending(key).ThenByDescending(t => t.Id) : tasks.OrderBy(key).ThenBy(t => t.Id))
            .Skip((page - 1) * 50).Take(50).Select(t => t.Id);
        Assert.Equal(expected, result.Tasks.Select(t => t.Id));
    }
}

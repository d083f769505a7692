using System.Text.Json;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Components.DataManager;
using GroundTruth.Web.Components.Scores;
using GroundTruth.Web.Components.Tasks;

namespace GroundTruth.Tests.Components;

/// <summary>The Data Manager's state in the URL: what goes out comes back, and what is broken is named and left out.</summary>
public sealed class DataManagerViewTests
{
    private static (DataManagerView View, IReadOnlyList<string> Problems) RoundTrip(DataManagerView view)
    {
        var parameters = view.ToParameters();
        return DataManagerView.Parse((string?)parameters["gt"], (string?)parameters["filters"], (string?)parameters["sort"], (string?)parameters["page"], (string?)parameters["size"], (string?)parameters["hidden"],
            (string?)parameters["view"]);
    }

    [Fact]
    public void Every_part_of_a_view_survives_the_url()
    {
        var filters = new TaskFilters("or",
        [
            new TaskFilterItem("filter:tasks:agreement", "less", "Number", JsonSerializer.SerializeToElement(0.5)),
            new TaskFilterItem("filter:tasks:data.text", "contains", "String", JsonSerializer.SerializeToElement("bird & \"owl\"")),
            new TaskFilterItem("filter:tasks:created_at", "in", "Datetime", JsonSerializer.SerializeToElement(new { min = "2025-01-01T00:00:00Z", max = "2025-02-01T00:00:00Z" })),
        ]);
        var view = new DataManagerView(false, filters, "-accuracy", 7, 200, "data,inner_id", Tab: 12);

        var (back, problems) = RoundTrip(view);

        Assert.Empty(problems);
        Assert.Equal(view.GroundTruth, back.GroundTruth);
        Assert.Equal(view.FiltersJson, back.FiltersJson);
        Assert.Equal(("-accuracy", 7, 200, "data,inner_id", 12L), (back.Sort, back.Page, back.Size, back.Hidden, back.Tab));
        Assert.Equal(["-tasks:accuracy"], back.Query.Ordering!);
    }

    [Fact]
    public void The_default_view_has_a_clean_url()
    {
        Assert.All(DataManagerView.Default.ToParameters().Values, Assert.Null);
        var (back, problems) = RoundTrip(DataManagerView.Default);
        Assert.Empty(problems);
        Assert.Equal(DataManagerView.Default, back);
    }

    [Theory]
    [InlineData("maybe", null, null, null, null, "'maybe' is not one of any, yes, no")]
    [InlineData(null, "[1,2", null, null, null, "not valid JSON")]
    [InlineData(null, """{"conjunction":"and"}""", null, null, null, "no \"items\" list")]
    [InlineData(null, """{"conjunction":"xor","items":[]}""", null, null, null, "conjunction 'xor' is not and/or")]
    [InlineData(null, """{"items":[{"filter":"filter:tasks:agreement","operator":"like","type":"Number","value":1}]}""", null, null, null, "unknown operator 'like'")]
    [InlineData(null, """{"items":[{"filter":"filter:tasks:ground_truth","operator":"equal","type":"Boolean","value":"yes"}]}""", null, null, null, "must be true or false")]
    [InlineData(null, """{"items":[{"filter":"filter:tasks:data.text","operator":"regex","type":"String","value":"(("}]}""", null, null, null, "not a valid regular expression")]
    [InlineData(null, """{"items":[null]}""", null, null, null, "Filter 1 is empty")]
    [InlineData(null, null, "-annotators", null, null, "Cannot order by 'annotators'")]
    [InlineData(null, null, null, "0", null, "'0' is not a page number")]
    [InlineData(null, null, null, "2147483648", null, "is not a page number")]
    [InlineData(null, null, null, null, "1000000", "page size '1000000' is not one of 25, 50, 100, 200")]
    public void A_broken_part_is_named_and_left_out(string? gt, string? filters, string? sort, string? page, string? size, string problem)
    {
        var (view, problems) = DataManagerView.Parse(gt, filters, sort, page, size);

        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
        // Whatever was broken falls back to its default, so the grid still shows tasks.
        TaskQueryCompiler.Compile(GroundTruth.Core.Data.Sqlite.SqliteDialect.Instance, 1, view.Query);
        Assert.True(view.Page >= 1);
        Assert.Contains(view.Size, DataManagerView.Sizes);
    }

    [Fact]
    public void Hidden_columns_in_the_url_keep_the_grid_order_and_lose_the_names_it_cannot_hide()
    {
        var (view, problems) = DataManagerView.Parse(null, null, null, null, null, "inner_id, id,nonsense,data");

        Assert.Equal("data,inner_id", view.Hidden);
        Assert.Equal(["The hidden column 'id' is not one the grid can hide; it was left out.",
            "The hidden column 'nonsense' is not one the grid can hide; it was left out."], problems);
        // Nothing hidden is a choice too, not the browser's.
        Assert.Equal("", DataManagerView.Parse(null, null, null, null, null, "").View.Hidden);
        Assert.Null(DataManagerView.Parse(null, null, null, null, null, null).View.Hidden);
    }

    [Theory]
    [InlineData("tab")]
    [InlineData("-3")]
    [InlineData("0")]
    [InlineData("99999999999999999999")]
    public void A_view_number_that_is_not_one_opens_all_tasks_and_says_so(string tab)
    {
        var (view, problems) = DataManagerView.Parse("yes", null, null, null, null, null, tab);

        Assert.Null(view.Tab);
        Assert.True(view.GroundTruth);
        Assert.Equal([$"The view '{tab}' is not a view number; showing All tasks."], problems);
    }

    [Fact]
    public void Only_the_broken_filter_rows_are_dropped()
    {
        var (view, problems) = DataManagerView.Parse(null,
            """{"conjunction":"OR","items":[{"filter":"filter:tasks:nope","operator":"equal","type":"Number","value":1},{"filter":"filter:tasks:total_annotations","operator":"greater","type":"Number","value":1}]}""",
            null, null, null);

        var problem = Assert.Single(problems);
        Assert.Contains("Filter 1 ('filter:tasks:nope'): unknown column 'nope'", problem, StringComparison.Ordinal);
        var kept = Assert.Single(view.Filters!.Items);
        Assert.Equal("filter:tasks:total_annotations", kept.Filter);
        Assert.Equal("or", view.Filters.Conjunction);
    }
}

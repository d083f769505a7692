using System.Text.Json;
using Bunit;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Components.DataManager;
using GroundTruth.Web.Components.Scores;
using GroundTruth.Web.Components.Tasks;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using MudBlazor.Services;

namespace GroundTruth.Tests.Components;

/// <summary>The filter builder: rows become Label Studio filter items only when valid, and only on Apply.</summary>
public sealed class TaskFilterBuilderTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();
    private readonly List<TaskFilters?> _applied = [];

    public Task InitializeAsync()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Render<MudPopoverProvider>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private IRenderedComponent<TaskFilterBuilder> Render(TaskFilters? filters = null) =>
        _context.Render<TaskFilterBuilder>(p => p
            .Add(x => x.Filters, filters)
            .Add(x => x.OnApply, (TaskFilters? f) => _applied.Add(f))
            .Add(x => x.DataKeys, ["text"]));

    // The awaited forms: bUnit's Click() and Input() do not wait for the handler, so an assertion right after them
    // could run before the dispatcher has processed the event (this raced once in CI).
    private static Task ClickAsync(IRenderedComponent<TaskFilterBuilder> builder, string text) =>
        builder.FindAll("button").First(b => b.TextContent.Trim() == text).ClickAsync(new MouseEventArgs());

    [Fact]
    public async Task A_new_row_is_ground_truth_is_yes()
    {
        var builder = Render();
        Assert.Empty(builder.FindAll("[data-testid=filter-row]"));

        await ClickAsync(builder, "Add filter");
        await ClickAsync(builder, "Apply");

        var filters = Assert.Single(_applied)!;
        var item = Assert.Single(filters.Items);
        Assert.Equal(("filter:tasks:ground_truth", "equal", "Boolean", true), (item.Filter, item.Operator, item.Type, item.Value.GetBoolean()));
        Assert.Equal("and", filters.Conjunction);
    }

    [Fact]
    public async Task Rows_show_the_filters_in_force_and_percentages_are_typed_as_percent()
    {
        var builder = Render(new TaskFilters("or",
        [
            new TaskFilterItem("filter:tasks:agreement", "less", "Number", JsonSerializer.SerializeToElement(0.5)),
            new TaskFilterItem("filter:tasks:data.text", "contains", "String", JsonSerializer.SerializeToElement("owl")),
        ]));
        Assert.Equal(2, builder.FindAll("[data-testid=filter-row]").Count);
        var values = builder.FindAll("input[aria-label=Value]");
        Assert.Equal(["50", "owl"], values.Select(v => v.GetAttribute("value")));

        await values[0].InputAsync("25");
        await ClickAsync(builder, "Apply");

        var filters = Assert.Single(_applied)!;
        Assert.Equal("or", filters.Conjunction);
        Assert.Equal(0.25, filters.Items[0].Value.GetDouble());
        Assert.Equal("owl", filters.Items[1].Value.GetString());
    }

    [Fact]
    public async Task A_model_version_is_typed_and_the_ground_truths_annotator_is_picked_from_the_annotators()
    {
        var builder = Render(new TaskFilters("and",
        [
            new TaskFilterItem("filter:tasks:predictions_model_versions", "contains", "List", JsonSerializer.SerializeToElement("v1")),
            new TaskFilterItem("filter:tasks:ground_truth_annotator", "contains", "List", JsonSerializer.SerializeToElement("ann@x.org")),
        ]));
        // The model version is free text; the ground truth's annotator is a choice among the annotators, as Annotated by is.
        Assert.Equal("v1", builder.Find("input[aria-label=Value]").GetAttribute("value"));
        Assert.Single(builder.FindAll("[aria-label=Annotator]"));
        Assert.Contains("Model versions", builder.FindAll("[data-testid=filter-row]")[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Ground truth by", builder.FindAll("[data-testid=filter-row]")[1].TextContent, StringComparison.Ordinal);

        await builder.Find("input[aria-label=Value]").InputAsync("v2");
        await ClickAsync(builder, "Apply");
        var filters = Assert.Single(_applied)!;
        Assert.Equal(["v2", "ann@x.org"], filters.Items.Select(i => i.Value.GetString()));
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_is_named_and_nothing_applies()
    {
        var builder = Render(new TaskFilters("and", [new TaskFilterItem("filter:tasks:total_annotations", "greater", "Number", JsonSerializer.SerializeToElement(1))]));

        await builder.Find("input[aria-label=Value]").InputAsync("many");
        await ClickAsync(builder, "Apply");

        Assert.Empty(_applied);
        Assert.Contains("Filter 1 (Annotations): 'many' is not a number", builder.Find("[data-testid=filter-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_value_is_asked_for()
    {
        var builder = Render(new TaskFilters("and", [new TaskFilterItem("filter:tasks:data.text", "contains", "String", JsonSerializer.SerializeToElement("x"))]));
        await builder.Find("input[aria-label=Value]").InputAsync("");
        await ClickAsync(builder, "Apply");
        Assert.Empty(_applied);
        Assert.Contains("enter a value", builder.Find("[data-testid=filter-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_every_row_and_clearing_applies_no_filter()
    {
        var builder = Render(new TaskFilters("and", [new TaskFilterItem("filter:tasks:ground_truth", "equal", "Boolean", JsonSerializer.SerializeToElement(false))]));

        await builder.Find("button[aria-label='Remove filter']").ClickAsync(new MouseEventArgs());
        Assert.Empty(builder.FindAll("[data-testid=filter-row]"));
        await ClickAsync(builder, "Clear filters");

        Assert.Equal([null], _applied);
    }

    [Fact]
    public async Task A_between_row_takes_two_values()
    {
        var builder = Render(new TaskFilters("and",
            [new TaskFilterItem("filter:tasks:accuracy", "in", "Number", JsonSerializer.SerializeToElement(new { min = 0.2, max = 0.8 }))]));
        Assert.Equal(["20", "80"], new[] { "From", "To" }.Select(l => builder.Find($"input[aria-label={l}]").GetAttribute("value")));

        await builder.Find("input[aria-label=To]").InputAsync("90");
        await ClickAsync(builder, "Apply");

        var value = Assert.Single(_applied)!.Items[0].Value;
        Assert.Equal((0.2, 0.9), (value.GetProperty("min").GetDouble(), value.GetProperty("max").GetDouble()));
    }
}

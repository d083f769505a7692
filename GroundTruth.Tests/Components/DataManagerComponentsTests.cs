using Bunit;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Model;
using GroundTruth.Web.Components.DataManager;
using MudBlazor;
using MudBlazor.Services;

namespace GroundTruth.Tests.Components;

/// <summary>The Data Manager's parts on their own: the selection banner and the columns menu (the grid and actions are tested through the page).</summary>
public sealed class DataManagerComponentsTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    public Task InitializeAsync()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _popovers = _context.Render<MudPopoverProvider>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void A_ticked_page_offers_every_matching_task_and_all_selected_offers_the_way_back()
    {
        var selection = new TaskSelectionModel { Matching = 120 };
        long[] page = [1, 2, 3];
        var banner = _context.Render<SelectionBanner>(p => p.Add(x => x.Selection, selection).Add(x => x.PageIds, page));
        Assert.Empty(banner.FindAll("[data-testid=selection-banner]"));

        selection.SetPage(page, true);
        banner.Render();
        Assert.Contains("All 3 tasks on this page are selected.", banner.Find("[data-testid=selection-banner]").TextContent, StringComparison.Ordinal);
        banner.Find("button").Click();
        Assert.Equal(120, selection.Count);
        Assert.Contains("All 120 tasks matching the filter are selected.", banner.Find("[data-testid=selection-banner]").TextContent, StringComparison.Ordinal);
        banner.Find("button").Click();
        Assert.True(selection.IsEmpty);
    }

    [Theory]
    [InlineData(Role.Manager, true)]
    [InlineData(Role.Annotator, false)]
    public void The_columns_menu_offers_the_registry_columns_but_the_pinned_and_to_annotators_not_the_scores(Role role, bool seesScores)
    {
        _context.JSInterop.Setup<string?>("localStorage.getItem", "groundtruth.columns.7.hidden").SetResult("data,nonsense");
        IReadOnlySet<string>? hidden = null;
        var menu = _context.Render<ColumnsMenu>(p => p.Add(x => x.Actor, new Actor(1, "x@x.org", role)).Add(x => x.ProjectId, 7)
            .Add(x => x.HiddenChanged, h => hidden = h));
        // The stored choice of this project, without names no column has.
        menu.WaitForAssertion(() => Assert.Equal(["data"], hidden!));

        menu.Find("button[aria-label=Columns]").Click();
        var items = _popovers.WaitForElements(".mud-menu-item").Select(i => i.TextContent.Trim()).ToList();
        Assert.DoesNotContain("ID", items);
        Assert.DoesNotContain("Agreement", items);
        Assert.Contains("Data", items);
        Assert.Contains("Completed", items);
        Assert.Equal(seesScores, items.Contains("Accuracy"));
        Assert.Equal(seesScores, items.Contains("Ground truth by"));
    }
}

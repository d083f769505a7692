using Bunit;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Model;
using GroundTruth.Web.Components.DataManager;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using MudBlazor.Services;

namespace GroundTruth.Tests.Components;

/// <summary>The Data Manager's parts on their own: the selection banner and the columns dialog (the grid and actions are tested through the page).</summary>
public sealed class DataManagerComponentsTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    public Task InitializeAsync()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Render<MudPopoverProvider>();
        _dialogs = _context.Render<MudDialogProvider>();
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
    public void The_columns_dialog_offers_the_registry_columns_but_the_pinned_and_to_annotators_not_the_scores(Role role, bool seesScores)
    {
        _context.JSInterop.Setup<string?>("localStorage.getItem", "groundtruth.columns.7.hidden").SetResult("data,nonsense");
        ColumnChoice? choice = null;
        var menu = _context.Render<ColumnsMenu>(p => p.Add(x => x.Actor, new Actor(1, "x@x.org", role)).Add(x => x.ProjectId, 7)
            .Add(x => x.ChoiceChanged, c => choice = c));
        // The stored choice of this project, without names no column has.
        menu.WaitForAssertion(() => Assert.Equal(["data"], choice!.Hidden));

        menu.Find("button[aria-label=Columns]").Click();
        var items = _dialogs.WaitForElements("[data-testid=columns-dialog] li").Select(i => i.TextContent.Trim()).ToList();
        Assert.DoesNotContain("ID", items);
        Assert.DoesNotContain("Agreement", items);
        Assert.Contains("Data", items);
        Assert.Contains("Completed", items);
        Assert.Equal(seesScores, items.Contains("Accuracy"));
        Assert.Equal(seesScores, items.Contains("Ground truth by"));
    }

    [Fact]
    public async Task A_column_moved_or_shown_in_the_dialog_changes_the_grid_at_once_and_is_remembered_and_reset_forgets_it()
    {
        ColumnChoice? choice = null;
        var reset = 0;
        var manager = new Actor(1, "x@x.org", Role.Manager);
        var menu = _context.Render<ColumnsMenu>(p => p.Add(x => x.Actor, manager).Add(x => x.ProjectId, 7)
            .Add(x => x.ChoiceChanged, c => choice = c).Add(x => x.WasReset, () => reset++));
        menu.Find("button[aria-label=Columns]").Click();
        _dialogs.WaitForElement("[data-testid=columns-dialog]");

        // Awaited: bUnit's Click() and Change() do not wait for the handler before the assertion after them.
        await _dialogs.Find("button[aria-label='Move Annotations up']").ClickAsync(new MouseEventArgs());
        Assert.Equal(["ID", "Ground truth", "Agreement", "Accuracy", "Annotations", "Data"], choice!.Shown(manager).Take(6).Select(c => c.Title));
        await _dialogs.Find("[data-testid=column-completed_at] input[type=checkbox]").ChangeAsync(new ChangeEventArgs { Value = true });
        Assert.Contains(choice!.Shown(manager), c => c.Name == "completed_at");
        var stored = _context.JSInterop.Invocations["localStorage.setItem"].Select(i => (string)i.Arguments[1]!).ToList();
        Assert.Contains("accuracy,total_annotations,data,cancelled_annotations,total_predictions,annotators,ground_truth_annotator,completed_at,created_at,updated_at,inner_id,predictions_score", stored);
        Assert.Contains("inner_id,predictions_score", stored);
        // The first can go no higher, the last no lower.
        Assert.True(_dialogs.Find("button[aria-label='Move Accuracy up']").HasAttribute("disabled"));
        Assert.True(_dialogs.Find("button[aria-label='Move Prediction score down']").HasAttribute("disabled"));

        _dialogs.Find("[data-testid=columns-reset]").Click();
        Assert.Equal(ColumnChoice.Default.Order, choice!.Order);
        Assert.Equal(1, reset);
        Assert.Contains(_context.JSInterop.Invocations["localStorage.removeItem"], i => (string)i.Arguments[0]! == "groundtruth.columns.7.widths");
    }

    [Fact]
    public void A_stored_order_loses_the_names_no_column_has_and_gains_a_column_added_since_where_the_registry_has_it()
    {
        // Stored before predictions_score existed, with data moved to the end and a column since removed.
        var stored = "accuracy,total_annotations,cancelled_annotations,total_predictions,annotators,ground_truth_annotator,completed_at,created_at,updated_at,inner_id,gone,data";
        var choice = ColumnChoice.Parse(stored, null);
        Assert.Equal(["accuracy", "total_annotations", "cancelled_annotations", "total_predictions", "annotators", "ground_truth_annotator", "completed_at",
            "created_at", "updated_at", "inner_id", "data", "predictions_score"], choice.Order);
        Assert.Equal(ColumnChoice.Default.Hidden, choice.Hidden);
    }

    [Fact]
    public void An_annotator_moves_a_column_past_the_next_one_they_see_not_past_one_only_reviewers_see()
    {
        var annotator = new Actor(2, "a@x.org", Role.Annotator);
        // Between Annotated by and Completed sits Ground truth by, which annotators are not shown.
        var moved = ColumnChoice.Default.Move(annotator, "annotators", 1);
        Assert.Equal(["ground_truth_annotator", "completed_at", "annotators"], moved.Order.Skip(5).Take(3));
        Assert.Equal(["id", "ground_truth", "agreement", "data"], moved.Shown(annotator).Take(4).Select(c => c.Name));
        Assert.Same(ColumnChoice.Default, ColumnChoice.Default.Move(annotator, "data", -1));
    }

    [Fact]
    public void A_rows_markup_encodes_every_value_a_file_or_an_annotator_chose()
    {
        var data = System.Text.Json.JsonDocument.Parse("""{"text": "<img src=x onerror=\"alert(1)\">"}""").RootElement.Clone();
        var who = new GroundTruth.Core.Tasks.MemberRef(1, "x@x.org", "O'Brien \"<b>\"");
        var task = new GroundTruth.Core.Tasks.TaskRow(7, 7, data, 1, 0, 0, true, 3, who, [who], DateTime.UnixEpoch, DateTime.UnixEpoch, null, 0.5);
        var columns = ColumnChoice.Default.Shown(new Actor(1, "x@x.org", Role.Manager)).Where(c => !TaskRowMarkup.IsInteractive(c)).ToList();

        var html = TaskRowMarkup.Cells(columns, task).Value;

        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;", html, StringComparison.Ordinal);
        Assert.Contains("title=\"O&#39;Brien &quot;&lt;b&gt;&quot;\"", html, StringComparison.Ordinal);
        // One cell a column, each with the classes the widths and pinning use.
        Assert.Equal(columns.Count, html.Split("<td ").Length - 1);
        Assert.Contains("<td class=\"mud-table-cell col-id pin pin-id\">7</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pager_shows_the_range_and_moves_by_page_and_page_size()
    {
        var view = GroundTruth.Web.Components.Tasks.DataManagerView.Default with { Page = 1, Size = 50 };
        var moved = new List<GroundTruth.Web.Components.Tasks.DataManagerView>();
        var pager = _context.Render<TaskGridPager>(p => p.Add(x => x.View, view).Add(x => x.Total, 120).Add(x => x.Moved, v => moved.Add(v)));

        Assert.Contains("1-50 of 120", pager.Markup, StringComparison.Ordinal);
        Assert.True(pager.Find("button[aria-label='Previous page']").HasAttribute("disabled"));
        await pager.Find("button[aria-label='Last page']").ClickAsync(new MouseEventArgs());
        await pager.Find("select").ChangeAsync(new ChangeEventArgs { Value = "25" });
        Assert.Equal([3, 1], moved.Select(v => v.Page));
        Assert.Equal([50, 25], moved.Select(v => v.Size));

        pager.Render(p => p.Add(x => x.View, view with { Page = 3 }));
        Assert.Contains("101-120 of 120", pager.Markup, StringComparison.Ordinal);
        Assert.True(pager.Find("button[aria-label='Next page']").HasAttribute("disabled"));
    }
}

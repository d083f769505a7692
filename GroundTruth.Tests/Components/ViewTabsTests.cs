using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Model;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;
using GroundTruth.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GroundTruth.Tests.Components;

/// <summary>The Data Manager's tabs: a project's saved views, opened, made from the current filters, saved into, renamed and deleted.</summary>
public sealed class ViewTabsTests : IAsyncLifetime
{
    private const string SplitOnly = """{"conjunction": "and", "items": [{"filter": "filter:tasks:total_annotations", "operator": "equal", "type": "Number", "value": 3}]}""";

    private readonly PageWorld _world = new();
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    private SavedViewService Views => _world.Db.Services.GetRequiredService<SavedViewService>();

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        // A view records who made it: the signed-in administrator is a real account.
        using (var db = _world.Db.Context())
        {
            db.Users.Add(new User { Id = _world.Admin.UserId, UserName = _world.Admin.Email, Email = _world.Admin.Email, DisplayName = "Admin" });
            await db.SaveChangesAsync();
        }
        _dialogs = _world.Context.Render<MudDialogProvider>();
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    private IRenderedComponent<DataManager> Open(string query = "") =>
        _world.Open<DataManager>($"/projects/{_world.Project}/data{query}", p => p.Add(x => x.ProjectId, _world.Project));

    private static List<string> Previews(IRenderedComponent<DataManager> page) => page.FindAll("[data-testid=preview]").Select(e => e.TextContent).ToList();

    private static List<string> Tabs(IRenderedComponent<DataManager> page) => page.FindAll("[role=tab]").Select(e => e.TextContent.Trim()).ToList();

    /// <summary>Clicks the element, again if the grid's loading re-rendered it between finding and clicking.</summary>
    private static void Click(IRenderedComponent<DataManager> page, string selector, int index = 0) =>
        page.WaitForAssertion(() => page.FindAll(selector)[index].Click());

    /// <summary>
    /// Opens the open tab's menu and clicks an item. A menu still closing from the last choice takes the first click, so
    /// the button is clicked again while the item is not there, and the item again if a render replaced it.
    /// </summary>
    private void ChooseFromViewMenu(IRenderedComponent<DataManager> page, string item) =>
        page.WaitForAssertion(() =>
        {
            if (_world.Popovers.FindAll(item).Count == 0)
            {
                page.Find("[data-testid=view-menu] button").Click();
            }
            _world.Popovers.Find(item).Click();
        }, TimeSpan.FromSeconds(10));

    private Task<SavedViewRecord> SaveAsync(string title, string? filters = null, string? ordering = null) => Views.CreateAsync(Actor.System, _world.Project,
        JsonNode.Parse($$"""{"title": "{{title}}"{{(filters is null ? "" : $", \"filters\": {filters}")}}{{(ordering is null ? "" : $", \"ordering\": [\"{ordering}\"]")}}}"""), null);

    [Fact]
    public async Task A_tab_opens_its_filters_and_order_and_all_tasks_clears_them()
    {
        var split = await SaveAsync("Split", SplitOnly);
        await SaveAsync("Newest first", ordering: "-tasks:id");
        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(["All tasks", "Split", "Newest first"], Tabs(page)));
        Assert.Equal("true", page.Find("[data-testid=view-tab-all]").GetAttribute("aria-selected"));

        Click(page, "[data-testid=view-tab]", 0);

        page.WaitForAssertion(() => Assert.Equal(["split"], Previews(page)));
        Assert.Contains($"view={split.Id}", _world.Uri, StringComparison.Ordinal);
        Assert.Equal("true", page.FindAll("[data-testid=view-tab]")[0].GetAttribute("aria-selected"));

        Click(page, "[data-testid=view-tab]", 1);
        page.WaitForAssertion(() => Assert.Equal(["alone", "split", "agreed"], Previews(page)));

        Click(page, "[data-testid=view-tab-all]");
        page.WaitForAssertion(() => Assert.Equal(["agreed", "split", "alone"], Previews(page)));
        Assert.DoesNotContain("view=", _world.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_current_filters_become_a_new_tab_with_the_title_given()
    {
        var page = Open("?gt=no&sort=-id");
        page.WaitForAssertion(() => Assert.Equal(["alone", "split"], Previews(page)));

        Click(page, "[data-testid=view-add]");
        _dialogs.WaitForAssertion(() => Assert.NotNull(_dialogs.Find("[data-testid=view-title-dialog]")));
        _dialogs.Find("input[aria-label='View title']").Input("No ground truth yet");
        _dialogs.Find("[data-testid=view-title-save]").Click();

        page.WaitForAssertion(() => Assert.Equal(["All tasks", "No ground truth yet"], Tabs(page)));
        var view = Assert.Single(await Views.ListAsync(Actor.System, _world.Project));
        Assert.Equal(("No ground truth yet", _world.Admin.UserId), (view.Title, view.UserId));
        Assert.Equal((false, "-tasks:id"), (view.Query.GroundTruth, view.Query.Ordering![0]));
        Assert.Contains($"view={view.Id}", _world.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_tab_is_marked_and_its_changes_can_be_saved_into_it()
    {
        var split = await SaveAsync("Split", SplitOnly);
        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(2, Tabs(page).Count));
        Click(page, "[data-testid=view-tab]", 0);
        page.WaitForAssertion(() => Assert.Equal(["split"], Previews(page)));
        Assert.Equal("Split", Tabs(page)[1]);

        _world.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>()
            .NavigateTo($"/projects/{_world.Project}/data?view={split.Id}&gt=no");
        page.WaitForAssertion(() => Assert.Equal("Split *", Tabs(page)[1]));
        Assert.Equal("Changed since it was saved: click the tab to show it as saved, or save the changes from its menu",
            page.Find("[data-testid=view-tab]").GetAttribute("title"));

        ChooseFromViewMenu(page, "[data-testid=view-save]");

        page.WaitForAssertion(() => Assert.Equal("Split", Tabs(page)[1]));
        var saved = await Views.GetAsync(Actor.System, split.Id);
        Assert.False(saved.Query.GroundTruth);
        Assert.Equal("Split", saved.Title);
    }

    [Fact]
    public async Task A_tab_is_renamed_and_deleted_from_its_menu()
    {
        var split = await SaveAsync("Split", SplitOnly);
        var page = Open($"?view={split.Id}&filters={WebUtility.UrlEncode(SplitOnly)}");
        page.WaitForAssertion(() => Assert.Equal(["split"], Previews(page)));

        ChooseFromViewMenu(page, "[data-testid=view-rename]");
        _dialogs.WaitForElement("input[aria-label='View title']").Input("Disputed");
        _dialogs.Find("[data-testid=view-title-save]").Click();
        page.WaitForAssertion(() => Assert.Equal(["All tasks", "Disputed"], Tabs(page)));

        ChooseFromViewMenu(page, "[data-testid=view-delete]");
        _dialogs.WaitForAssertion(() => Assert.Contains(_dialogs.FindAll("button"), b => b.TextContent.Trim() == "Delete"));
        _dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        page.WaitForAssertion(() => Assert.Equal(["All tasks"], Tabs(page)));
        Assert.Empty(await Views.ListAsync(Actor.System, _world.Project));
        Assert.DoesNotContain("view=", _world.Uri, StringComparison.Ordinal);
    }

    private static List<string> Headers(IRenderedComponent<DataManager> page) =>
        page.FindAll("thead th[scope=col]").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();

    [Fact]
    public async Task A_tab_shows_the_columns_it_saved_and_a_column_change_is_saved_into_it_not_into_all_tasks()
    {
        // As Label Studio keeps them: one data key and a pinned column, which this grid does not hide, and the labeling stream's list.
        var lean = await Views.CreateAsync(Actor.System, _world.Project, JsonNode.Parse("""
            {"title": "Lean", "hiddenColumns": {"explore": ["tasks:data.text", "tasks:id", "tasks:created_at"], "labeling": ["tasks:data.text"]}}
            """), null);
        var page = Open();
        page.WaitForAssertion(() => Assert.Contains("Created", Headers(page)));

        Click(page, "[data-testid=view-tab]", 0);

        page.WaitForAssertion(() => Assert.DoesNotContain("Created", Headers(page)));
        // The tab's list is the whole of it: columns hidden by default show.
        Assert.Contains("Inner ID", Headers(page));
        Assert.Contains("?hidden=created_at&view=", _world.Uri, StringComparison.Ordinal);
        Assert.Equal("Lean", Tabs(page)[1]);

        // Hiding a column in the open tab marks it changed, and saving stores it with what Label Studio kept.
        Click(page, "button[aria-label=Columns]");
        await _dialogs.WaitForElement("[data-testid=column-updated_at] input[type=checkbox]").ChangeAsync(new ChangeEventArgs { Value = false });
        page.WaitForAssertion(() => Assert.DoesNotContain("Updated", Headers(page)));
        page.WaitForAssertion(() => Assert.Equal("Lean *", Tabs(page)[1]));
        _dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Done").Click();
        ChooseFromViewMenu(page, "[data-testid=view-save]");

        page.WaitForAssertion(() => Assert.Equal("Lean", Tabs(page)[1]));
        var saved = await Views.GetAsync(Actor.System, lean.Id);
        Assert.Equal("""{"explore":["tasks:data.text","tasks:id","tasks:created_at","tasks:updated_at"],"labeling":["tasks:data.text"]}""",
            saved.Data["hiddenColumns"]!.ToJsonString());

        // All tasks keeps the browser's own choice.
        Click(page, "[data-testid=view-tab-all]");
        page.WaitForAssertion(() => Assert.Contains("Created", Headers(page)));
        Assert.Contains("Updated", Headers(page));
        Assert.DoesNotContain("Inner ID", Headers(page));
        Assert.DoesNotContain("hidden=", _world.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bookmark_of_a_tab_from_before_tabs_kept_columns_opens_with_the_tabs_columns()
    {
        var lean = await Views.CreateAsync(Actor.System, _world.Project, JsonNode.Parse("""{"title": "Lean", "hiddenColumns": {"explore": ["tasks:created_at"]}}"""), null);

        var page = Open($"?view={lean.Id}&sort=-id");

        // Inner ID is one of the columns hidden by default, which the tab's list shows.
        page.WaitForAssertion(() => Assert.Contains("Inner ID", Headers(page)));
        Assert.DoesNotContain("Created", Headers(page));
        Assert.EndsWith($"?view={lean.Id}&sort=-id&hidden=created_at", _world.Uri, StringComparison.Ordinal);
        // The bookmark's order is not the tab's, which marks it changed; its columns do not.
        page.WaitForAssertion(() => Assert.Equal("Lean *", Tabs(page)[1]));
        Click(page, "[data-testid=view-tab]", 0);
        page.WaitForAssertion(() => Assert.Equal("Lean", Tabs(page)[1]));
    }

    [Fact]
    public async Task A_tab_that_hides_nothing_shows_every_column_and_is_not_marked_changed()
    {
        await Views.CreateAsync(Actor.System, _world.Project, JsonNode.Parse("""{"title": "Everything", "hiddenColumns": {"explore": []}}"""), null);
        var page = Open();
        page.WaitForAssertion(() => Assert.DoesNotContain("Inner ID", Headers(page)));

        Click(page, "[data-testid=view-tab]", 0);

        page.WaitForAssertion(() => Assert.Contains("Inner ID", Headers(page)));
        Assert.Contains("Prediction score", Headers(page));
        Assert.Equal("Everything", Tabs(page)[1]);
    }

    [Fact]
    public async Task An_annotator_opens_tabs_but_cannot_make_them_and_is_told_how_to_undo_a_change()
    {
        var split = await SaveAsync("Split", SplitOnly);
        _world.SignInAsMember(new Actor(8, "annotator@test.local", Role.Annotator));

        var page = Open();

        page.WaitForAssertion(() => Assert.Equal(["All tasks", "Split"], Tabs(page)));
        Assert.Empty(page.FindAll("[data-testid=view-add]"));
        Assert.Null(page.Find("[data-testid=view-tab]").GetAttribute("title"));

        // A change to the open tab is marked, and the mark says how to leave it: this user has no menu to save it.
        _world.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/projects/{_world.Project}/data?view={split.Id}&gt=no");
        page.WaitForAssertion(() => Assert.Equal("Split *", Tabs(page)[1]));
        Assert.Empty(page.FindAll("[data-testid=view-menu]"));
        Assert.Equal("Changed since it was saved: click the tab to show it as saved", page.Find("[data-testid=view-tab]").GetAttribute("title"));

        Click(page, "[data-testid=view-tab]", 0);
        page.WaitForAssertion(() => Assert.Equal("Split", Tabs(page)[1]));
        Assert.DoesNotContain("gt=no", _world.Uri, StringComparison.Ordinal);
        Assert.Null(page.Find("[data-testid=view-tab]").GetAttribute("title"));
    }
}

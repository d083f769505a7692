using System.Net;
using Bunit;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Model;
using GroundTruth.Tests.Support;
using GroundTruth.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Components;

/// <summary>The Data Manager page rendered by bUnit over a real SQLite database.</summary>
public sealed class DataManagerPageTests : IAsyncLifetime
{
    private readonly PageWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    private IRenderedComponent<DataManager> Open(string query = "") =>
        _world.Open<DataManager>($"/projects/{_world.Project}/data{query}", p => p.Add(x => x.ProjectId, _world.Project));

    private static List<string> Previews(IRenderedComponent<DataManager> page) => page.FindAll("[data-testid=preview]").Select(e => e.TextContent).ToList();

    /// <summary>
    /// Ticks or unticks a box, again if a render (the stored columns arriving, a page of rows) replaced its handler
    /// between finding it and changing it — as a user whose click landed mid-render would click again.
    /// </summary>
    private static void Tick(IRenderedComponent<DataManager> page, string selector, int index, bool value) =>
        page.WaitForAssertion(() => page.FindAll(selector)[index].Change(value));

    [Fact]
    public void Rows_show_agreement_chips_the_ground_truth_star_and_who_set_it()
    {
        var page = Open();

        page.WaitForAssertion(() => Assert.Equal(["agreed", "split", "alone"], Previews(page)));
        var chips = page.FindAll("[data-testid=agreement]");
        Assert.Equal(2, chips.Count);
        Assert.Contains("mud-chip-color-success", chips[0].ClassName, StringComparison.Ordinal);
        // "split": one agreeing pair of three, 33.3 % — not under 33 %, so amber.
        Assert.Contains("mud-chip-color-warning", chips[1].ClassName, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[aria-label='Ground truth']"));
        Assert.Equal(["a", "", ""], page.FindAll("[data-testid=ground-truth-by]").Select(e => e.TextContent.Trim()));
        Assert.Contains("Ground Truth", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_url_sets_the_ground_truth_filter()
    {
        var yes = Open("?gt=yes");
        yes.WaitForAssertion(() => Assert.Equal(["agreed"], Previews(yes)));

        var no = Open("?gt=no");
        no.WaitForAssertion(() => Assert.Equal(["split", "alone"], Previews(no)));
    }

    [Fact]
    public void The_url_sets_filters_sort_page_and_size()
    {
        // Tasks with agreement under 50 %, ordered by id descending, 25 a page.
        var filters = WebUtility.UrlEncode("""{"conjunction":"or","items":[{"filter":"filter:tasks:agreement","operator":"less","type":"Number","value":0.5},{"filter":"filter:tasks:total_annotations","operator":"equal","type":"Number","value":1}]}""");
        var page = Open($"?filters={filters}&sort=-id&size=25");

        page.WaitForAssertion(() => Assert.Equal(["alone", "split"], Previews(page)));
        Assert.Empty(page.FindAll("[data-testid=url-problem]"));
        Assert.Equal(2, page.FindAll("[data-testid=filter-row]").Count);
        Assert.Contains("Filters (2)", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_junk_ground_truth_value_in_the_url_is_named_and_ignored()
    {
        var page = Open("?gt=%3Cscript%3E");
        page.WaitForAssertion(() => Assert.Equal(3, Previews(page).Count));
        Assert.Contains("'<script>' is not one of any, yes, no", page.Find("[data-testid=url-problem]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_filter_in_the_url_is_named_and_the_grid_shows_the_rest()
    {
        var filters = WebUtility.UrlEncode("""{"conjunction":"and","items":[{"filter":"filter:tasks:ground_truth","operator":"equal","type":"Boolean","value":false},{"filter":"filter:tasks:secret; DROP TABLE tasks","operator":"equal","type":"Number","value":1}]}""");
        var page = Open($"?filters={filters}&sort=nonsense&page=-3");

        page.WaitForAssertion(() => Assert.Equal(["split", "alone"], Previews(page)));
        var problems = page.FindAll("[data-testid=url-problem]").Select(e => e.TextContent).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("Filter 2", StringComparison.Ordinal) && p.Contains("unknown column", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Cannot order by 'nonsense'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'-3' is not a page number", StringComparison.Ordinal));
    }

    [Fact]
    public void Filters_that_are_not_json_are_named_and_never_crash_the_page()
    {
        var page = Open("?filters=%7B%22items%22%3A");
        page.WaitForAssertion(() => Assert.Equal(3, Previews(page).Count));
        Assert.Contains("not valid JSON", page.Find("[data-testid=url-problem]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Paging_writes_the_url()
    {
        var page = Open("?size=25");
        page.WaitForAssertion(() => Assert.Equal(3, Previews(page).Count));
        // Clicked again only if a render (the stored columns arriving) replaced the header's handler before the click
        // landed; a second click on a sorted header would reverse it, so the URL says whether the first one counted.
        page.WaitForAssertion(() =>
        {
            if (!_world.Uri.Contains("sort=", StringComparison.Ordinal))
            {
                page.FindAll("th .sortable-column-header").First(b => b.TextContent.Contains("Agreement", StringComparison.Ordinal)).Click();
            }
            Assert.Contains("sort=agreement", _world.Uri, StringComparison.Ordinal);
        });
        Assert.Contains("size=25", _world.Uri, StringComparison.Ordinal);
        // No agreement (null) sorts where the provider's (project, agreement, id) index puts it: first on SQLite, last on PostgreSQL.
        page.WaitForAssertion(() => Assert.Equal(TestStore.IsPostgres ? ["split", "agreed", "alone"] : ["alone", "split", "agreed"], Previews(page)));
    }

    [Fact]
    public void Ticking_rows_counts_them_and_enables_actions()
    {
        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(3, Previews(page).Count));
        page.WaitForAssertion(() => Assert.Equal("0 selected", page.Find("[data-testid=selected-count]").TextContent));
        Assert.True(page.Find("[data-testid=actions] button").HasAttribute("disabled"));

        Tick(page, "input[aria-label^='Select task']", 0, true);
        Tick(page, "input[aria-label^='Select task']", 2, true);

        page.WaitForAssertion(() => Assert.Equal("2 selected", page.Find("[data-testid=selected-count]").TextContent));
        Assert.False(page.Find("[data-testid=actions] button").HasAttribute("disabled"));
    }

    [Fact]
    public void Select_this_page_then_all_matching_then_untick_one()
    {
        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(3, Previews(page).Count));
        Tick(page, "input[aria-label='Select this page']", 0, true);
        page.WaitForAssertion(() => Assert.Equal("3 selected", page.Find("[data-testid=selected-count]").TextContent));
        // The whole project fits on the page, so there is nothing more to offer.
        Assert.Empty(page.FindAll("[data-testid=selection-banner]"));

        Tick(page, "input[aria-label^='Select task']", 1, false);
        page.WaitForAssertion(() => Assert.Equal("2 selected", page.Find("[data-testid=selected-count]").TextContent));
    }

    [Fact]
    public void Changing_the_filter_clears_the_selection_and_says_so()
    {
        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(3, Previews(page).Count));
        Tick(page, "input[aria-label^='Select task']", 0, true);
        page.WaitForAssertion(() => Assert.Equal("1 selected", page.Find("[data-testid=selected-count]").TextContent));

        _world.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"/projects/{_world.Project}/data?gt=no");

        page.WaitForAssertion(() => Assert.Equal(["split", "alone"], Previews(page)));
        page.WaitForAssertion(() => Assert.Equal("0 selected", page.Find("[data-testid=selected-count]").TextContent));
        var snackbar = _world.Context.Services.GetRequiredService<MudBlazor.ISnackbar>();
        Assert.Contains(snackbar.ShownSnackbars, s => s.Message!.Contains("selection of 1 tasks was cleared", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_managers_and_up_see_the_actions()
    {
        _world.SignInAsMember(new Actor(7, "reviewer@test.local", Role.Reviewer));
        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(3, Previews(page).Count));
        Assert.Empty(page.FindAll("[data-testid=actions]"));
    }

    [Fact]
    public void An_unknown_project_says_so_instead_of_crashing()
    {
        var page = _world.Open<DataManager>("/projects/999/data", p => p.Add(x => x.ProjectId, 999));
        page.WaitForAssertion(() => Assert.Contains("does not exist or you are not one of its members", page.Markup, StringComparison.Ordinal));
        Assert.Equal("/", page.Find("[data-testid=not-found] a").GetAttribute("href"));
    }

    [Fact]
    public void Filters_that_match_nothing_say_so_and_offer_to_clear_them()
    {
        var filters = WebUtility.UrlEncode("""{"conjunction":"and","items":[{"filter":"filter:tasks:total_annotations","operator":"greater","type":"Number","value":99}]}""");
        var page = Open($"?gt=yes&filters={filters}");
        page.WaitForAssertion(() => Assert.Contains("No tasks match these filters.", page.Find("[data-testid=no-tasks]").TextContent, StringComparison.Ordinal));
        // Clicked again if a re-render of the grid (its load finishing) swallowed the first click.
        page.WaitForAssertion(() =>
        {
            if (_world.Uri.Contains("filters=", StringComparison.Ordinal))
            {
                page.FindAll("[data-testid=no-tasks] button").Single(b => b.TextContent.Contains("Clear filters", StringComparison.Ordinal)).Click();
            }
            Assert.DoesNotContain("filters=", _world.Uri, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("gt=", _world.Uri, StringComparison.Ordinal);
    }
}

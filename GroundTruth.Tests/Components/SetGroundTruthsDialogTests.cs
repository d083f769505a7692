using Bunit;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;
using GroundTruth.Web.Components.DataManager;
using GroundTruth.Web.Components.Scores;
using GroundTruth.Web.Components.Tasks;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GroundTruth.Tests.Components;

/// <summary>The Set Ground Truths dialog: annotators with their counts, a search, a dry-run preview that writes nothing, then Apply.</summary>
public sealed class SetGroundTruthsDialogTests : IAsyncLifetime
{
    private readonly PageWorld _world = new();
    private IRenderedComponent<MudDialogProvider> _provider = null!;
    private IDialogReference _dialog = null!;

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        _provider = _world.Context.Render<MudDialogProvider>();
        _dialog = await OpenAsync(TaskSelection.Everything);
    }

    private async Task<IDialogReference> OpenAsync(TaskSelection selection)
    {
        var dialogs = _world.Context.Services.GetRequiredService<IDialogService>();
        return await _world.Context.Renderer.Dispatcher.InvokeAsync(() => dialogs.ShowAsync<SetGroundTruthsDialog>("Set Ground Truths", new DialogParameters<SetGroundTruthsDialog>
        {
            { d => d.Actor, _world.Admin },
            { d => d.ProjectId, _world.Project },
            { d => d.Query, TaskQuery.Empty },
            { d => d.Selection, selection },
            { d => d.Selected, 3 },
        }));
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    private List<string> Annotators() => _provider.FindAll("[data-testid=annotator]").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public void Each_annotator_is_listed_with_how_many_selected_tasks_they_annotated()
    {
        _provider.WaitForAssertion(() => Assert.Equal(3, Annotators().Count));
        var rows = Annotators();
        Assert.Matches(@"^a\s+a@x\.org\s+3 of 3 tasks$", rows[0]);
        Assert.Matches(@"^b\s+b@x\.org\s+2 of 3 tasks$", rows[1]);
        Assert.Matches(@"^c\s+c@x\.org\s+1 of 3 tasks$", rows[2]);
    }

    [Fact]
    public void The_search_narrows_the_list()
    {
        _provider.WaitForAssertion(() => Assert.Equal(3, Annotators().Count));
        _provider.Find("input[aria-label='Search annotators']").Input("C@X");
        _provider.WaitForAssertion(() => Assert.Single(Annotators()));
        _provider.Find("input[aria-label='Search annotators']").Input("nobody");
        _provider.WaitForAssertion(() => Assert.Empty(Annotators()));
        Assert.Contains("No annotator matches.", _provider.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choosing_an_annotator_previews_the_counts_without_writing_then_apply_returns_them()
    {
        var before = await _world.Db.SnapshotAsync();
        _provider.WaitForAssertion(() => Assert.Equal(3, Annotators().Count));
        Assert.True(ApplyButton().HasAttribute("disabled"));

        _provider.FindAll("[data-testid=annotator]")[1].Click();

        // b: replaces a on "agreed", sets "split", has nothing on "alone".
        _provider.WaitForAssertion(() => Assert.Contains("will set 1, replace 1, already ground truth 0, no annotation by this annotator 1",
            Preview(), StringComparison.Ordinal));
        Assert.Equal(before, await _world.Db.SnapshotAsync());

        ApplyButton().Click();
        var result = await _dialog.Result;
        Assert.False(result!.Canceled);
        Assert.Equal("b@x.org", Assert.IsType<MemberRef>(result.Data).Email);
    }

    [Fact]
    public async Task When_nothing_would_change_apply_stays_disabled()
    {
        await _world.Context.Renderer.Dispatcher.InvokeAsync(() => _dialog.Close());
        await OpenAsync(new TaskSelection(false, Included: [await _world.TaskIdAsync("agreed")]));
        _provider.WaitForAssertion(() => Assert.Equal(2, Annotators().Count));

        // a's annotation already is the ground truth of "agreed".
        _provider.FindAll("[data-testid=annotator]")[0].Click();

        _provider.WaitForAssertion(() => Assert.Contains("will set 0, replace 0, already ground truth 1, no annotation by this annotator 0",
            Preview(), StringComparison.Ordinal));
        Assert.True(ApplyButton().HasAttribute("disabled"));
    }

    private string Preview() => System.Text.RegularExpressions.Regex.Replace(_provider.Find("[data-testid=dry-run]").TextContent, @"\s+", " ");

    private AngleSharp.Dom.IElement ApplyButton() => _provider.FindAll("button").First(b => b.TextContent.Trim() == "Apply");
}

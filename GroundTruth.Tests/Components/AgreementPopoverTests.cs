using Bunit;
using GroundTruth.Core.Scoring;
using GroundTruth.Tests.Support;
using GroundTruth.Web.Components.DataManager;
using GroundTruth.Web.Components.Pages;
using GroundTruth.Web.Components.Scores;
using GroundTruth.Web.Components.Tasks;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GroundTruth.Tests.Components;

/// <summary>The Agreement cell's popover: the task's matrix as percentages, ⭐ on the ground truth, accuracy against it.</summary>
public sealed class AgreementPopoverTests : IAsyncLifetime
{
    private readonly PageWorld _world = new();
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        _popovers = _world.Popovers;
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    /// <summary>The Data Manager open on the world's project, and a way to the chip of the task whose data says <paramref name="task"/>.</summary>
    private (IRenderedComponent<DataManager> Page, Func<AngleSharp.Dom.IElement> Chip) Open(string task)
    {
        var page = _world.Open<DataManager>($"/projects/{_world.Project}/data", p => p.Add(x => x.ProjectId, _world.Project));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=preview]").Count));
        return (page, () => page.FindAll("tr.task-row").Single(r => r.QuerySelector("[data-testid=preview]")!.TextContent == task).QuerySelector(".agreement-cell")!);
    }

    private List<List<string>> Rows() => _popovers.FindAll("[data-testid=agreement-popover] tr[data-testid=matrix-row]")
        .Select(r => r.Children.Select(c => c.TextContent.Trim().Replace(" ", "", StringComparison.Ordinal)).ToList()).ToList();

    [Fact]
    public void Hovering_opens_the_matrix_with_the_ground_truth_starred()
    {
        var (page, chip) = Open("agreed");
        Assert.Empty(_popovers.FindAll("[data-testid=agreement-popover]"));

        // Again if a render (the stored columns arriving) replaced the handler between finding the chip and hovering it.
        page.WaitForAssertion(() => chip().MouseEnter());

        _popovers.WaitForAssertion(() => Assert.Equal(2, Rows().Count));
        Assert.Equal(["a", "100%", "100%", "groundtruth"], Rows()[0]);
        Assert.Equal(["b", "100%", "100%", "100%"], Rows()[1]);
        // The star sits on a's row and column headers, nowhere else.
        var stars = _popovers.FindAll("[data-testid=agreement-popover] [aria-label='Ground truth']");
        Assert.Equal(2, stars.Count);
        Assert.All(stars, star => Assert.Equal("a", star.Closest("[data-testid=participant]")!.TextContent.Trim()));
    }

    [Fact]
    public void Keyboard_focus_opens_it_too_and_without_ground_truth_accuracy_says_so()
    {
        var (page, chip) = Open("split");

        page.WaitForAssertion(() => chip().FocusIn());

        _popovers.WaitForAssertion(() => Assert.Equal(3, Rows().Count));
        Assert.Equal(["a", "100%", "0%", "0%", "nogroundtruth"], Rows()[0]);
        Assert.Equal(["c", "0%", "100%", "100%", "nogroundtruth"], Rows()[2]);
        Assert.Empty(_popovers.FindAll("[data-testid=agreement-popover] [aria-label='Ground truth']"));

        page.WaitForAssertion(() => chip().FocusOut());
        _popovers.WaitForAssertion(() => Assert.Empty(_popovers.FindAll("[data-testid=agreement-popover]")));
    }

    [Fact]
    public async Task Model_versions_are_participants()
    {
        var taskId = await _world.TaskIdAsync("agreed");
        using (var db = _world.Db.Context())
        {
            db.Predictions.Add(new GroundTruth.Core.Model.Prediction { TaskId = taskId, ModelVersion = "yolo-v8", Result = "[" + Fixtures.Choice("B").ToJsonString() + "]" });
            db.SaveChanges();
        }
        var matrix = await _world.Db.Services.GetRequiredService<ScoreStatisticsService>().AgreementMatrixAsync(_world.Admin, _world.Project, taskId);
        var table = _world.Context.Render<AgreementMatrixTable>(p => p.Add(x => x.Matrix, matrix));

        var model = table.FindAll("tr[data-testid=matrix-row]")[2];
        Assert.Equal("yolo-v8 (model)", model.Children[0].TextContent.Trim());
        Assert.Equal("0%", model.Children[^1].TextContent.Trim().Replace(" ", "", StringComparison.Ordinal));
    }
}

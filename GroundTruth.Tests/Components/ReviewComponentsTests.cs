using System.Text.Json;
using Bunit;
using GroundTruth.Core.Model;
using GroundTruth.Core.Scoring;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Components.Review;
using GroundTruth.Web.Components.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace GroundTruth.Tests.Components;

/// <summary>The review page's parts on their own: the card annotations and predictions share, compare mode, the history, the shortcuts' help.</summary>
public sealed class ReviewComponentsTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    private static readonly JsonElement Data = JsonDocument.Parse("""{"text": "great"}""").RootElement.Clone();

    private static JsonElement Choice(string id, string choice) =>
        JsonDocument.Parse($$$"""[{"id": "{{{id}}}", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["{{{choice}}}"]}}]""").RootElement.Clone();

    public Task InitializeAsync()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void An_annotation_card_stars_and_compares_and_a_prediction_card_only_compares()
    {
        var (starred, compared) = (0, 0);
        var annotation = _context.Render<ReviewCard>(p => p
            .Add(x => x.TestId, "annotation-card").Add(x => x.Title, "ann").Add(x => x.Caption, "ann@x.org")
            .Add(x => x.Result, Choice("a", "Positive")).Add(x => x.Data, Data).Add(x => x.Accuracy, 0.5)
            .Add(x => x.ShowStar, true).Add(x => x.OnStar, () => starred++)
            .Add(x => x.ShowCompare, true).Add(x => x.OnCompare, () => compared++));
        annotation.Find("button[aria-label='Ground truth']").Click();
        annotation.Find("button[aria-label='Compare with ground truth']").Click();
        Assert.Equal((1, 1), (starred, compared));
        Assert.Equal("Make this the ground truth.", annotation.Find("span[title]").GetAttribute("title"));
        Assert.Contains("Accuracy against ground truth: 50", annotation.Find("[data-testid=accuracy]").TextContent, StringComparison.Ordinal);

        var prediction = _context.Render<ReviewCard>(p => p
            .Add(x => x.TestId, "prediction-card").Add(x => x.Title, "v1 (model)")
            .Add(x => x.Result, Choice("p", "Negative")).Add(x => x.Data, Data).Add(x => x.ShowCompare, true));
        Assert.Empty(prediction.FindAll("button[aria-label='Ground truth']"));
        Assert.Single(prediction.FindAll("[data-testid=prediction-card]"));
    }

    [Fact]
    public void A_skipped_annotation_shows_its_chip_and_a_disabled_star_that_says_why()
    {
        var card = _context.Render<ReviewCard>(p => p
            .Add(x => x.TestId, "annotation-card").Add(x => x.Title, "bob").Add(x => x.Skipped, true)
            .Add(x => x.Result, Choice("a", "Positive")).Add(x => x.Data, Data).Add(x => x.ShowStar, true));
        Assert.True(card.Find("button[aria-label='Ground truth']").HasAttribute("disabled"));
        Assert.Equal("A skipped annotation cannot be the ground truth.", card.Find("span[title]").GetAttribute("title"));
        Assert.Contains("Skipped", card.Find(".mud-chip").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_comparison_lists_mismatches_first_and_colours_both_sides()
    {
        RegionDifference[] differences =
        [
            new("sentiment", DifferenceKind.Matched, "g1", "o1", "Positive", "Positive"),
            new("sentiment", DifferenceKind.WrongLabel, "g2", "o2", "Positive", "Negative"),
        ];
        var closed = false;
        var panel = _context.Render<ComparePanel>(p => p
            .Add(x => x.Name, "bob").Add(x => x.Result, Choice("o2", "Negative"))
            .Add(x => x.GroundTruthName, "ann").Add(x => x.GroundTruthResult, Choice("g2", "Positive"))
            .Add(x => x.Data, Data).Add(x => x.Differences, differences).Add(x => x.OnClose, () => closed = true));
        Assert.Contains("bob against the ground truth (ann)", panel.Markup, StringComparison.Ordinal);
        Assert.Equal(["diff-row-wrong-label", "diff-row-matched"], panel.FindAll("[data-testid=differences] tbody tr").Select(r => r.ClassName));
        panel.Find("button[aria-label='Close comparison']").Click();
        Assert.True(closed);
    }

    [Fact]
    public void The_history_has_a_header_row_and_names_annotations_by_their_annotator()
    {
        GroundTruthChange[] history =
        [
            new() { TaskId = 1, AnnotationId = 7, PreviousAnnotationId = 6, Kind = GroundTruthChangeKind.Set, Source = ChangeSource.Review, ChangedBy = "rev@x.org", ChangedAt = new DateTime(2026, 12, 1, 10, 0, 0) },
        ];
        var table = _context.Render<GroundTruthHistory>(p => p.Add(x => x.History, history).Add(x => x.AnnotationName, id => id == 7 ? "bob's annotation" : "ann's annotation"));
        Assert.Equal(["When", "Change", "Annotation", "From", "By"], table.FindAll("thead th").Select(h => h.TextContent));
        Assert.Contains("bob's annotation (was ann's annotation)", table.Find("tbody tr").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Question_mark_opens_the_shortcut_list_and_other_keys_go_to_the_page()
    {
        var keys = new List<string>();
        var host = _context.Render<MudDialogProvider>();
        var shortcuts = _context.Render<ReviewShortcuts>(p => p.Add(x => x.OnShortcut, key => keys.Add(key)));
        await shortcuts.InvokeAsync(() => shortcuts.Instance.KeyPressed("ArrowRight"));
        Assert.Equal(["ArrowRight"], keys);
        await shortcuts.InvokeAsync(() => shortcuts.Instance.KeyPressed("?"));
        host.WaitForAssertion(() => Assert.Equal(ReviewShortcuts.Shortcuts.Count, host.FindAll("[data-testid=shortcuts] tbody tr").Count));
        Assert.Equal(["ArrowRight"], keys);
    }

    private static AnnotationView Annotation(long id, string name, bool groundTruth = false) =>
        new(id, 1, 1, null, new MemberRef(id, $"{name}@x.org", name), Choice("a", "Positive"), false, groundTruth, DateTime.UtcNow, DateTime.UtcNow, null, null, null);

    [Fact]
    public async Task The_cards_list_annotations_then_predictions_and_a_picked_card_is_what_S_stars()
    {
        var task = new TaskDetail(1, 1, 1, null, Data, null, 2, 0, 1, true, 11, DateTime.UtcNow, DateTime.UtcNow, 1, 1,
            [Annotation(11, "ann", groundTruth: true), Annotation(12, "bob")],
            [new PredictionView(21, 1, 1, "v1", 0.9, Choice("p", "Positive"), DateTime.UtcNow, 1, null)]);
        var compared = new List<CompareRequest>();
        var cards = _context.Render<ReviewCards>(p => p.Add(x => x.Task, task).Add(x => x.CanStar, true).Add(x => x.CanCompare, true)
            .Add(x => x.OnCompare, r => compared.Add(r)));

        Assert.Equal(["ann", "bob"], cards.FindAll("[data-testid=annotation-card] .mud-typography-subtitle1").Select(e => e.TextContent.Trim()));
        Assert.Single(cards.FindAll("[data-testid=prediction-card]"));
        Assert.Null(cards.Instance.PickedAnnotation);
        await cards.InvokeAsync(() => cards.Instance.PickAsync(1));
        Assert.Equal(12, cards.Instance.PickedAnnotation?.Id);
        // No compare for the ground truth itself; bob's and the model's compare with it.
        Assert.Equal(2, cards.FindAll("button[aria-label='Compare with ground truth']").Count);
        cards.FindAll("button[aria-label='Compare with ground truth']")[0].Click();
        cards.FindAll("button[aria-label='Compare with ground truth']")[1].Click();
        Assert.Equal([(12L, (long?)null), (0L, 21L)], compared.Select(r => (r.AnnotationId ?? 0, r.PredictionId)));

        // Another task: nothing stays picked.
        cards.Render(p => p.Add(x => x.Task, task with { Id = 2 }));
        Assert.Null(cards.Instance.PickedAnnotation);
    }

    [Fact]
    public void The_title_bar_disables_the_step_that_has_no_task_and_steps_the_other()
    {
        var steps = new List<string>();
        var bar = _context.Render<ReviewTitleBar>(p => p.Add(x => x.TaskId, 7).Add(x => x.HasPrevious, false).Add(x => x.HasNext, true).Add(x => x.Agreement, 0.5)
            .Add(x => x.OnStep, d => steps.Add(d)));
        Assert.Contains("Task 7", bar.Find("h5").TextContent, StringComparison.Ordinal);
        Assert.True(bar.Find("button[aria-label='Previous task']").HasAttribute("disabled"));
        bar.Find("button[aria-label='Next task']").Click();
        Assert.Equal([ReviewShortcuts.Next], steps);
        Assert.Contains("Agreement 50", bar.Find(".mud-chip").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_arrow_pressed_before_the_neighbours_are_known_is_taken_when_they_arrive_and_keeps_the_view()
    {
        var browser = _context.Services.GetRequiredService<NavigationManager>();
        var navigation = new ReviewNavigation(browser, 3, DataManagerView.Default with { Sort = "-id" });
        navigation.Step(ReviewShortcuts.Next);
        Assert.DoesNotContain("/tasks/", browser.Uri, StringComparison.Ordinal);

        navigation.NeighboursLoaded(new TaskNeighbours(5, 9));
        Assert.Contains("/projects/3/tasks/9?", browser.Uri, StringComparison.Ordinal);
        Assert.Contains("sort=-id", browser.Uri, StringComparison.Ordinal);

        // On the first task, Previous goes nowhere; Back returns to the grid with the view, in the tab it was opened from.
        var first = new ReviewNavigation(browser, 3, DataManagerView.Default with { Sort = "-id", Hidden = "inner_id", Tab = 4 });
        first.NeighboursLoaded(new TaskNeighbours(null, 9));
        first.Step(ReviewShortcuts.Previous);
        Assert.Contains("/projects/3/tasks/9?", browser.Uri, StringComparison.Ordinal);
        first.Back();
        Assert.EndsWith("/projects/3/data?sort=-id&hidden=inner_id&view=4", browser.Uri, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Bunit;
using GroundTruth.Core.Model;
using GroundTruth.Core.Scoring;
using GroundTruth.Web.Components.Review;
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
}

using System.Text.Json;
using Bunit;
using GroundTruth.Web.Components.Results;
using MudBlazor.Services;

namespace GroundTruth.Tests.Components;

/// <summary>How the review page draws each result type over the task's data.</summary>
public sealed class ResultViewTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public Task InitializeAsync()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private IRenderedComponent<ResultView> Render(string result, string data = """{"text": "Maria met John in Lisbon", "image": "/demo/images/1.svg"}""") =>
        _context.Render<ResultView>(p => p
            .Add(x => x.Result, JsonDocument.Parse(result).RootElement.Clone())
            .Add(x => x.Data, JsonDocument.Parse(data).RootElement.Clone()));

    private static string Item(string type, string value, string extra = "") =>
        $$"""{"id": "r", "from_name": "{{type}}_tag", "to_name": "{{(type.Contains("label", StringComparison.Ordinal) && type != "rectanglelabels" && type != "polygonlabels" && type != "ellipselabels" && type != "keypointlabels" ? "text" : "image")}}", "type": "{{type}}", {{extra}} "value": {{value}}}""";

    [Theory]
    [InlineData("choices", """{"choices": ["Positive", "Sarcastic"]}""", "Positive|Sarcastic")]
    [InlineData("taxonomy", """{"taxonomy": [["Animal", "Bird"], ["Plant"]]}""", "Animal / Bird|Plant")]
    [InlineData("rating", """{"rating": 4}""", "★ 4")]
    [InlineData("number", """{"number": 2.5}""", "2.5")]
    [InlineData("datetime", """{"datetime": "2025-01-31 12:00"}""", "2025-01-31 12:00")]
    [InlineData("pairwise", """{"selected": "left"}""", "left")]
    [InlineData("textarea", """{"text": ["first line", "second"]}""", "first line|second")]
    [InlineData("timeserieslabels", """{"start": 10, "end": 20.5, "instant": false, "timeserieslabels": ["Run"]}""", "Run 10 – 20.5")]
    [InlineData("paragraphlabels", """{"start": "0", "end": "1", "startOffset": 0, "endOffset": 5, "text": "Hello", "paragraphlabels": ["Greeting"]}""", "Greeting: “Hello”")]
    [InlineData("hypertextlabels", """{"start": "/p[1]", "end": "/p[1]", "startOffset": 0, "endOffset": 4, "text": "Lisb", "hypertextlabels": ["Place"]}""", "Place: “Lisb”")]
    public void Classifications_and_texts_are_values(string type, string value, string expected)
    {
        var view = Render($"[{Item(type, value)}]");

        var part = view.Find("[data-testid=values]");
        Assert.Equal(type, part.GetAttribute("data-type"));
        var shown = type == "textarea" ? part.QuerySelectorAll(".textarea-value") : part.QuerySelectorAll(".mud-chip");
        Assert.Equal(expected.Split('|'), shown.Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void Spans_highlight_the_text_and_overlapping_spans_show_both_labels()
    {
        // "Maria met John" as Person (0-14) and "John in Lisbon" as Place (10-24): "John" (10-14) is both.
        var view = Render($"[{Item("labels", """{"start": 0, "end": 14, "labels": ["Person"]}""")}, {Item("labels", """{"start": 10, "end": 24, "labels": ["Place"]}""")}]");

        var marks = view.FindAll("mark.span");
        Assert.Equal(["Maria met ", "John", " in Lisbon"], marks.Select(m => m.TextContent));
        Assert.Equal(["Person", "Person|Place", "Place"], marks.Select(m => m.GetAttribute("data-labels")));
        Assert.Contains("overlap", marks[1].ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("overlap", marks[0].ClassName, StringComparison.Ordinal);
        Assert.Equal("Maria met John in Lisbon", view.Find("[data-testid=span-text]").TextContent);
    }

    [Fact]
    public void A_rotated_box_is_drawn_in_the_image_pixels_rotated_about_its_corner()
    {
        var view = Render($"[{Item("rectanglelabels", """{"x": 10, "y": 20, "width": 30, "height": 10, "rotation": 45, "rectanglelabels": ["Car"]}""", "\"original_width\": 200, \"original_height\": 100,")}]");

        var svg = view.Find("[data-testid=image-view] svg");
        Assert.Equal("0 0 200 100", svg.GetAttribute("viewBox"));
        var box = view.Find("rect[data-region=rectangle]");
        Assert.Equal(("20", "20", "60", "10"), (box.GetAttribute("x"), box.GetAttribute("y"), box.GetAttribute("width"), box.GetAttribute("height")));
        Assert.Equal("rotate(45 20 20)", box.GetAttribute("transform"));
        Assert.Equal("Car", box.GetAttribute("data-label"));
        Assert.Equal("/demo/images/1.svg", view.Find("[data-testid=image-view] img").GetAttribute("src"));
    }

    [Fact]
    public void Polygons_ellipses_and_keypoints_are_drawn()
    {
        var view = Render($"""
            [{Item("polygonlabels", """{"points": [[10, 10], [50, 10], [30, 40]], "polygonlabels": ["Roof"]}""")},
             {Item("ellipselabels", """{"x": 50, "y": 50, "radiusX": 10, "radiusY": 5, "rotation": 30, "ellipselabels": ["Ball"]}""")},
             {Item("keypointlabels", """{"x": 25, "y": 75, "width": 1, "keypointlabels": ["Nose"]}""")}]
            """);

        Assert.Equal("10,10 50,10 30,40", view.Find("polygon[data-region=polygon]").GetAttribute("points"));
        var ellipse = view.Find("ellipse[data-region=ellipse]");
        Assert.Equal(("50", "50", "10", "5", "rotate(30 50 50)"), (ellipse.GetAttribute("cx"), ellipse.GetAttribute("cy"), ellipse.GetAttribute("rx"), ellipse.GetAttribute("ry"), ellipse.GetAttribute("transform")));
        var keypoint = view.Find("circle[data-region=keypoint]");
        Assert.Equal(("25", "75", "Nose"), (keypoint.GetAttribute("cx"), keypoint.GetAttribute("cy"), keypoint.GetAttribute("data-label")));
        // One image, three shapes on it.
        Assert.Single(view.FindAll("[data-testid=image-view]"));
    }

    [Fact]
    public void A_brush_mask_is_drawn_as_its_pixels()
    {
        // An 8 × 4 mask set on x 2–5 of rows 1 and 2.
        var brush = GroundTruth.Tests.Scoring.BrushMaskTests.Brush(GroundTruth.Tests.Scoring.BrushMaskTests.Encode(GroundTruth.Tests.Scoring.BrushMaskTests.Image(8, 4, 2, 1, 6, 3)), 8, 4);

        var view = Render($"[{brush.ToJsonString()}]");

        var mask = view.Find("path[data-region=mask]");
        Assert.Equal("M2 1h4v1h-4zM2 2h4v1h-4z", mask.GetAttribute("d"));
        Assert.Equal("Road", mask.GetAttribute("data-label"));
        Assert.Equal("0 0 8 4", view.Find("[data-testid=image-view] svg").GetAttribute("viewBox"));
    }

    [Fact]
    public void An_empty_result_says_so()
    {
        var view = Render("[]");
        Assert.Equal("Nothing labelled.", view.Find("[data-testid=empty-result]").TextContent);
    }

    [Fact]
    public void Unknown_types_and_malformed_values_are_formatted_json()
    {
        var view = Render($"""[{Item("videorectangle", """{"sequence": [1, 2]}""")}, {Item("rectanglelabels", """{"x": "wide", "rectanglelabels": ["Car"]}""")}]""");

        var parts = view.FindAll("[data-testid=json-part]");
        Assert.Equal(["videorectangle", "rectanglelabels"], parts.Select(p => p.GetAttribute("data-type")));
        Assert.Contains("\"sequence\": [", parts[0].TextContent, StringComparison.Ordinal);
        Assert.Empty(view.FindAll("[data-region]"));
    }

    [Fact]
    public void A_region_breakdown_reads_as_counts_and_overlap()
    {
        var breakdown = JsonDocument.Parse("""
            {"score": 0.5, "controls": [{"from_name": "box", "type": "rectanglelabels", "score": 0.5, "matched": 1, "mismatched": 1, "missing": 0, "extra": 1, "invalid": 2, "mean_overlap": 0.8},
                                        {"from_name": "kind", "type": "choices", "score": 1}]}
            """).RootElement.Clone();

        Assert.Equal("box: 50 % — matched 1, wrong label 1, missing 0, extra 1, overlap 0.80, invalid 2\nkind: 100 %", BreakdownText.Of(breakdown));
        Assert.Equal("", BreakdownText.Of(null));
    }

    [Fact]
    public void Markup_in_the_text_and_labels_stays_text()
    {
        const string hostile = "<img src=x onerror=alert(1)>";
        var view = Render($"[{Item("labels", $$"""{"start": 0, "end": 5, "labels": ["{{hostile.Replace("\"", "\\\"", StringComparison.Ordinal)}}"]}""")}]",
            JsonSerializer.Serialize(new { text = hostile + " tail" }));

        Assert.Empty(view.FindAll("img"));
        Assert.Equal(hostile + " tail", view.Find("[data-testid=span-text]").TextContent);
        Assert.Equal(hostile, view.Find("mark.span").GetAttribute("title"));
    }
}

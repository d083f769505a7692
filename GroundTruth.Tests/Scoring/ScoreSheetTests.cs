using GroundTruth.Core.Scoring;

namespace GroundTruth.Tests.Scoring;

/// <summary>
/// The score sheet stands in for comparing results again: whichever annotation becomes the ground truth, what it
/// answers must be what a comparison made then would give, including the direction of the breakdown.
/// </summary>
public sealed class ScoreSheetTests
{
    // Two boxes against one (the second misplaced), a choice that differs, and a prediction.
    private const string Ann = """[{"id":"a1","from_name":"box","to_name":"img","type":"rectanglelabels","value":{"x":10,"y":10,"width":20,"height":20,"rotation":0,"rectanglelabels":["Car"]}},{"id":"a2","from_name":"box","to_name":"img","type":"rectanglelabels","value":{"x":60,"y":60,"width":10,"height":10,"rotation":0,"rectanglelabels":["Car"]}},{"from_name":"sentiment","to_name":"text","type":"choices","value":{"choices":["Positive"]}}]""";
    private const string Bob = """[{"id":"b1","from_name":"box","to_name":"img","type":"rectanglelabels","value":{"x":11,"y":10,"width":20,"height":20,"rotation":0,"rectanglelabels":["Car"]}},{"from_name":"sentiment","to_name":"text","type":"choices","value":{"choices":["Negative"]}}]""";
    private const string Cat = """[{"id":"c1","from_name":"box","to_name":"img","type":"rectanglelabels","value":{"x":10,"y":10,"width":20,"height":20,"rotation":0,"rectanglelabels":["Truck"]}},{"from_name":"sentiment","to_name":"text","type":"choices","value":{"choices":["Positive"]}}]""";
    private const string Model = """[{"id":"p1","from_name":"box","to_name":"img","type":"rectanglelabels","value":{"x":10,"y":12,"width":20,"height":20,"rotation":0,"rectanglelabels":["Car"]}}]""";

    private static readonly ScoredAnnotation[] Annotations =
    [
        new(10, false, false, Ann),
        new(11, false, false, Bob),
        new(12, true, false, "[]"),
        new(13, false, false, Cat),
    ];

    private static readonly ScoredPrediction[] Predictions = [new(50, Model)];

    private static readonly Dictionary<long, string> Results = new() { [10] = Ann, [11] = Bob, [13] = Cat };

    [Fact]
    public void Answers_what_comparing_with_each_candidate_ground_truth_gives()
    {
        var sheet = ScoreSheet.Compute(Annotations, Predictions, ScoringSettings.Default);
        foreach (var (groundTruth, reference) in Results)
        {
            foreach (var (other, result) in Results.Where(r => r.Key != groundTruth))
            {
                var expected = ResultComparer.Compare(reference, result);
                var read = sheet.Against(groundTruth, other)!;
                Assert.Equal(expected.Score, read.Score, 9);
                // Missing and extra are seen from the ground truth, whichever id is lower.
                Assert.Equal(Breakdown.ToJson(expected), Breakdown.ToJson(read));
            }
            Assert.Equal(Breakdown.ToJson(ResultComparer.Compare(reference, Model)), Breakdown.ToJson(sheet.PredictionAgainst(groundTruth, 50)!));
            Assert.Equal(Results.Where(r => r.Key != groundTruth).Min(r => ResultComparer.Compare(reference, r.Value).Score), sheet.MinAccuracy(groundTruth)!.Value, 9);
        }
    }

    [Fact]
    public void A_missing_region_from_one_side_is_an_extra_one_from_the_other()
    {
        var sheet = ScoreSheet.Compute(Annotations, Predictions, ScoringSettings.Default);

        var boxes = (Ann: sheet.Against(10, 11)!.Controls.Single(c => c.FromName == "box").Regions!.Value,
            Bob: sheet.Against(11, 10)!.Controls.Single(c => c.FromName == "box").Regions!.Value);

        Assert.Equal((1, 1, 0), (boxes.Ann.Matched, boxes.Ann.Missing, boxes.Ann.Extra));
        Assert.Equal((1, 0, 1), (boxes.Bob.Matched, boxes.Bob.Missing, boxes.Bob.Extra));
    }

    [Fact]
    public void Cancelled_annotations_and_the_ground_truth_itself_have_no_accuracy()
    {
        var sheet = ScoreSheet.Compute(Annotations, Predictions, ScoringSettings.Default);

        Assert.Equal([10, 11, 13], sheet.Annotations);
        Assert.Null(sheet.Against(10, 12));
        Assert.Null(sheet.Against(12, 10));
        Assert.Null(sheet.Against(10, 10));
        Assert.Null(sheet.PredictionAgainst(12, 50));
        Assert.Null(ScoreSheet.Compute([Annotations[0]], [], ScoringSettings.Default).MinAccuracy(10));
    }

    [Theory]
    [InlineData(AgreementMethodology.Pairwise, true)]
    [InlineData(AgreementMethodology.Pairwise, false)]
    [InlineData(AgreementMethodology.Consensus, true)]
    [InlineData(AgreementMethodology.Consensus, false)]
    public void Agreement_is_the_one_the_results_give(AgreementMethodology methodology, bool groundTruthInAgreement)
    {
        var settings = new ScoringSettings(Methodology: methodology, GroundTruthInAgreement: groundTruthInAgreement);
        var sheet = ScoreSheet.Compute(Annotations, Predictions, settings);

        var agreeing = Results.Where(r => groundTruthInAgreement || r.Key != 11).OrderBy(r => r.Key).Select(r => ParsedResult.Parse(r.Value)).ToList();

        Assert.Equal(TaskAgreement.Compute(agreeing, settings), sheet.Agreement(settings, groundTruth: 11));
    }

    [Fact]
    public void Survives_being_stored_and_renumbered()
    {
        // The importer scores by position; the rows' ids may come in any order.
        long[] ids = [40, 30, 20, 10];
        var byPosition = ScoreSheet.Compute(Annotations.Select((a, i) => a with { Id = i }).ToList(), [Predictions[0] with { Id = 0 }], ScoringSettings.Default);
        var direct = ScoreSheet.Compute(Annotations.Select((a, i) => a with { Id = ids[i] }).ToList(), [Predictions[0] with { Id = 7 }], ScoringSettings.Default);

        var stored = ScoreSheet.Parse(byPosition.WithIds(i => ids[i], _ => 7).ToJson());

        Assert.Equal(direct.Annotations, stored.Annotations);
        foreach (var groundTruth in stored.Annotations)
        {
            foreach (var other in stored.Annotations.Where(a => a != groundTruth))
            {
                Assert.Equal(Breakdown.ToJson(direct.Against(groundTruth, other)!), Breakdown.ToJson(stored.Against(groundTruth, other)!));
            }
            Assert.Equal(Breakdown.ToJson(direct.PredictionAgainst(groundTruth, 7)!), Breakdown.ToJson(stored.PredictionAgainst(groundTruth, 7)!));
            Assert.Equal(direct.MinAccuracy(groundTruth)!.Value, stored.MinAccuracy(groundTruth)!.Value, 9);
        }
        Assert.Same(ScoreSheet.Empty, ScoreSheet.Parse(null));
    }

    [Fact]
    public void A_sheet_stored_before_the_controls_were_listed_once_reads_as_the_same_sheet()
    {
        // As written until 2026-12-07: every control of every pair named with its type.
        const string stored = """
            {"min":{"10":0.25,"11":0.25},"pairs":[[10,11,0.25,[["box","rectanglelabels",0.5,1,0,1,0,0,0.9047619047619048],["sentiment","choices",0]]]],
            "predictions":[[10,50,0.25,[["box","rectanglelabels",0.5,1,0,1,0,0,0.8181818181818182],["sentiment","choices",0]]],
            [11,50,0.5,[["box","rectanglelabels",1,1,0,0,0,0,0.7467248908296943],["sentiment","choices",0]]]]}
            """;
        var computed = ScoreSheet.Compute([Annotations[0], Annotations[1]], Predictions, ScoringSettings.Default);

        var read = ScoreSheet.Parse(stored);

        Assert.Equal(computed.ToJson(), read.ToJson());
        Assert.StartsWith("""{"min":{"10":0.25,"11":0.25},"controls":[["box","rectanglelabels"],["sentiment","choices"]],"pairs":[[10,11,0.25,[[0,0.5,""", computed.ToJson(), StringComparison.Ordinal);
        Assert.Equal((1, 1), (read.Against(10, 11)!.Controls[0].Regions!.Value.Matched, read.Against(10, 11)!.Controls[0].Regions!.Value.Missing));
    }
}

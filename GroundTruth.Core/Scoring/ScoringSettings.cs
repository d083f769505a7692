namespace GroundTruth.Core.Scoring;

public enum AgreementMethodology
{
    Pairwise,
    Consensus,
}

/// <summary>
/// A project's scoring settings. <see cref="Threshold"/>: the overlap a region pair needs to count (inclusive).
/// <see cref="Weights"/>: per control (<c>from_name</c>), default 1; 0 leaves a control out. <see cref="NumberTolerance"/>:
/// how far apart two numbers may be and still agree. <see cref="KeypointSigma"/>: the OKS spread, in percent of the image.
/// </summary>
public sealed record ScoringSettings(
    double Threshold = 0.5,
    AgreementMethodology Methodology = AgreementMethodology.Pairwise,
    IReadOnlyDictionary<string, double>? Weights = null,
    double NumberTolerance = 0,
    double KeypointSigma = 5,
    bool GroundTruthInAgreement = true)
{
    public static ScoringSettings Default { get; } = new();

    public double WeightOf(string control) => Weights is not null && Weights.TryGetValue(control, out var w) ? w : 1;
}

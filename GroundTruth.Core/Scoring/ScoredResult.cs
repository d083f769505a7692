namespace GroundTruth.Core.Scoring;

/// <summary>An annotation as scoring sees it.</summary>
public sealed record ScoredAnnotation(long Id, bool WasCancelled, bool GroundTruth, string Result);

/// <summary>A prediction as scoring sees it.</summary>
public sealed record ScoredPrediction(long Id, string Result);

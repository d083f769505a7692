namespace GroundTruth.Core.Scoring;

/// <summary>
/// One control's comparison: its score and, for region controls, the breakdown (matched, mismatched, missing, extra,
/// invalid, precision, recall, F1, mean overlap of the matched pairs).
/// </summary>
public sealed record ControlScore(
    string FromName,
    string Type,
    double Score,
    RegionCounts? Regions = null,
    double? MeanOverlap = null);

/// <summary>The comparison of two results: the weighted mean over controls, and each control's part.</summary>
public sealed record ResultScore(double Score, IReadOnlyList<ControlScore> Controls);

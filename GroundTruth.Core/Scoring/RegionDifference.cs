namespace GroundTruth.Core.Scoring;

/// <summary>How one region or value of a result stands against the ground truth.</summary>
public enum DifferenceKind
{
    /// <summary>Paired with the ground truth's, same label.</summary>
    Matched,

    /// <summary>Paired by overlap with the ground truth's, another label.</summary>
    WrongLabel,

    /// <summary>In the ground truth only.</summary>
    Missing,

    /// <summary>In the compared result only.</summary>
    Extra,
}

/// <summary>
/// One line of a comparison with the ground truth, per control: the result items' ids (regions) on either side,
/// their labels or values, and what the pairing made of them.
/// </summary>
public sealed record RegionDifference(string FromName, DifferenceKind Kind, string? GroundTruthId, string? OtherId, string? GroundTruthLabel, string? OtherLabel);

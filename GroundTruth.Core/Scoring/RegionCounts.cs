namespace GroundTruth.Core.Scoring;

/// <summary>
/// How two region lists matched: pass-1 pairs (same label), pass-2 pairs (right place, wrong label), unmatched regions of
/// the reference (missing) and of the other side (extra), and regions left out as malformed (invalid).
/// </summary>
public readonly record struct RegionCounts(int Matched, int Mismatched, int Missing, int Extra, int Invalid = 0)
{
    /// <summary>matched / (matched + mismatched + missing + extra); nothing on either side scores 1.</summary>
    public double Score => Total == 0 ? 1 : (double)Matched / Total;

    /// <summary>matched / |other side|, or null when the other side has no region.</summary>
    public double? Precision => Matched + Mismatched + Extra == 0 ? null : (double)Matched / (Matched + Mismatched + Extra);

    /// <summary>matched / |reference|, or null when the reference has no region.</summary>
    public double? Recall => Matched + Mismatched + Missing == 0 ? null : (double)Matched / (Matched + Mismatched + Missing);

    public double? F1 => Precision is { } p && Recall is { } r ? (p + r == 0 ? 0 : 2 * p * r / (p + r)) : null;

    private int Total => Matched + Mismatched + Missing + Extra;
}

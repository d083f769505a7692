namespace GroundTruth.Core.Scoring;

/// <summary>Where a project's background rescoring stands after a change of its scoring settings.</summary>
public sealed record RecomputeProgress(int Done, int Total, bool Running, string? Error = null);

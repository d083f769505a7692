namespace GroundTruth.Core.GroundTruths;

/// <summary>
/// What <c>set by annotator</c> did (or, for a dry run, would do) to the selected tasks: <see cref="Set"/> where there was
/// no ground truth, <see cref="Replaced"/> where another annotation was, <see cref="Unchanged"/> where it already was the
/// annotator's, <see cref="Skipped"/> where the annotator has no usable annotation.
/// </summary>
public sealed record BulkResult(int ProcessedItems, int Set, int Replaced, int Unchanged, int Skipped);

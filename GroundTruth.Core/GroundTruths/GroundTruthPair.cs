namespace GroundTruth.Core.GroundTruths;

/// <summary>A task and its ground-truth annotation, by the ids an export of the same id source writes.</summary>
public sealed record GroundTruthPair(long Task, long Annotation);

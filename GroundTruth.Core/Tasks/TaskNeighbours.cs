namespace GroundTruth.Core.Tasks;

/// <summary>The tasks before and after one task in a Data Manager view; null at either end.</summary>
public sealed record TaskNeighbours(long? Previous, long? Next);

using GroundTruth.Core.Model;

namespace GroundTruth.Core.GroundTruths;

/// <summary>Who makes a ground-truth change and through what; recorded in its history row.</summary>
public sealed record ChangeContext(ChangeSource Source, string? ChangedBy = null);

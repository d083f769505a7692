using System.Text.Json.Serialization;

namespace GroundTruth.Core.GroundTruths;

/// <summary>
/// What <c>set by annotator</c> did (or, for a dry run, would do) to the selected tasks: <see cref="Set"/> where there was
/// no ground truth, <see cref="Replaced"/> where another annotation was, <see cref="Unchanged"/> where it already was the
/// annotator's, <see cref="Skipped"/> where the annotator has no usable annotation. For <c>delete</c>,
/// <see cref="Deleted"/> counts the tasks that lost their ground truth. A bulk job adds up its chunks' counts.
/// </summary>
public sealed record BulkResult(int ProcessedItems, int Set, int Replaced, int Unchanged, int Skipped,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Deleted = 0)
{
    public static BulkResult None { get; } = new(0, 0, 0, 0, 0);

    public static BulkResult operator +(BulkResult a, BulkResult b) => new(a.ProcessedItems + b.ProcessedItems, a.Set + b.Set,
        a.Replaced + b.Replaced, a.Unchanged + b.Unchanged, a.Skipped + b.Skipped, a.Deleted + b.Deleted);
}

namespace GroundTruth.Core.Model;

/// <summary>
/// A Data Manager tab (Label Studio's "view"): a project's saved filters and ordering under a title. <see cref="Data"/>
/// is Label Studio's <c>data</c> object as JSON text — <c>title</c>, <c>filters</c>, <c>ordering</c> checked on the way in,
/// anything else (<c>hiddenColumns</c>, …) kept as it came.
/// </summary>
public sealed class SavedView
{
    public long Id { get; set; }
    public long ProjectId { get; set; }

    /// <summary>Who made it; null once that account is deleted (the tab stays with the project).</summary>
    public long? UserId { get; set; }

    /// <summary>Label Studio's <c>order</c>: the tab's place, left to right; tabs without one follow in id order.</summary>
    public int? Position { get; set; }

    public required string Data { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

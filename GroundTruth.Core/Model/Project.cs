namespace GroundTruth.Core.Model;

/// <summary>A labeling project: a set of tasks with their annotations and predictions.</summary>
public sealed class Project
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The project's <c>ScoringSettings</c> as JSON; null means the defaults.</summary>
    public string? ScoringSettings { get; set; }
}

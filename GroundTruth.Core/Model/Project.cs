namespace GroundTruth.Core.Model;

/// <summary>A labeling project: a set of tasks with their annotations and predictions.</summary>
public sealed class Project
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The project's <c>ScoringSettings</c> as JSON; null means the defaults.</summary>
    public string? ScoringSettings { get; set; }

    /// <summary>
    /// Set on the hidden project an import writes its tasks into (<see cref="ImportExport.ImportJob"/>): it exists for no
    /// one, and its tasks join this project in the import's last chunk. Null on every project users see.
    /// </summary>
    public long? ImportForProjectId { get; set; }
}

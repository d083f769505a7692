namespace GroundTruth.Core.Model;

/// <summary>
/// A project's task totals, kept by triggers on the tasks table, so that a page's total and the project list read a
/// few rows instead of counting a million. On SQLite (one writer at a time) a project has one row, updated in place. On
/// PostgreSQL each statement that changes a total adds a row of its changes: a single row would be one lock every star
/// and every bulk chunk in the project queue for, and could deadlock with the task rows they lock. Readers add a
/// project's rows up, and fold many into one (<see cref="Projects.ProjectTotals"/>).
/// </summary>
public sealed class ProjectTotal
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long Tasks { get; set; }
    public long GroundTruths { get; set; }

    /// <summary>Tasks with at least one annotation that was not cancelled.</summary>
    public long AnnotatedTasks { get; set; }

    /// <summary>Annotations that were not cancelled (each task's <c>total_annotations</c>).</summary>
    public long Annotations { get; set; }

    public long CancelledAnnotations { get; set; }
    public long Predictions { get; set; }
}

namespace GroundTruth.Core.Projects;

/// <summary>
/// A project with its counts, as the project list and <c>GET /api/projects</c> show it: annotations are those not
/// cancelled, <see cref="SkippedCount"/> the cancelled ones, <see cref="AnnotatedTaskCount"/> the tasks with at least one.
/// </summary>
public sealed record ProjectSummary(long Id, string Title, DateTime CreatedAt, int TaskCount, int GroundTruthCount, int AnnotationCount, int PredictionCount,
    int SkippedCount = 0, int AnnotatedTaskCount = 0, int MemberCount = 0);

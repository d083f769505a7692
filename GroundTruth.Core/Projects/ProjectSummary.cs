namespace GroundTruth.Core.Projects;

/// <summary>A project with its counts, as the project list and <c>GET /api/projects</c> show it.</summary>
public sealed record ProjectSummary(long Id, string Title, DateTime CreatedAt, int TaskCount, int GroundTruthCount, int AnnotationCount, int PredictionCount);

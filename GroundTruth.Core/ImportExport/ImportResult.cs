namespace GroundTruth.Core.ImportExport;

/// <summary>
/// What an import wrote. <see cref="CorrectedTasks"/> counts tasks that arrived with more than one ground truth (or a
/// cancelled one) and kept only the most recently updated usable one.
/// </summary>
public sealed record ImportResult(int TaskCount, int AnnotationCount, int PredictionCount, int GroundTruthCount, int CorrectedTasks);

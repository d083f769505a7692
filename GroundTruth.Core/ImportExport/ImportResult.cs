namespace GroundTruth.Core.ImportExport;

/// <summary>
/// What an import wrote. <see cref="CorrectedTasks"/> counts tasks that arrived with more than one ground truth (or a
/// cancelled one) and kept only the most recently updated usable one; <see cref="ReplacedCharacters"/> counts the
/// text that was not valid Unicode (a lone surrogate, bad UTF-8 bytes, NUL) and was stored as U+FFFD.
/// </summary>
public sealed record ImportResult(int TaskCount, int AnnotationCount, int PredictionCount, int GroundTruthCount, int CorrectedTasks, int ReplacedCharacters = 0);

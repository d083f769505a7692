namespace GroundTruth.Core.Model;

/// <summary>
/// A model's labeling of a task. <see cref="Result"/> is the Label Studio result list, verbatim. Accuracy against the
/// ground truth is read off the task's <see cref="TaskScoreSheet"/>.
/// </summary>
public sealed class Prediction
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public long? ExternalId { get; set; }
    public required string ModelVersion { get; set; }
    public double? Score { get; set; }
    public required string Result { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Fields of the imported object this model does not know, as a JSON object, written back on export; also those it owns
    /// but keeps as the file said them (<see cref="ImportExport.FileFields"/>), written back when an export asks for the file's ids.
    /// </summary>
    public string? Extra { get; set; }
}

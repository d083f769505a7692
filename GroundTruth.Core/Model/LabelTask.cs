namespace GroundTruth.Core.Model;

/// <summary>
/// One item to label. <see cref="Data"/> and <see cref="Meta"/> are the JSON exactly as imported.
/// The counters, <see cref="CompletedAt"/> and <see cref="PredictionScore"/> are maintained by database triggers on every
/// write to annotations and predictions, so no write path can leave them stale; the ground truth and scores are on its
/// <see cref="Sheet"/>.
/// </summary>
public sealed class LabelTask
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long? ExternalId { get; set; }
    public long InnerId { get; set; }
    public required string Data { get; set; }
    public string? Meta { get; set; }
    /// <summary>
    /// Fields of the imported object this model does not know, as a JSON object, written back on export; also those it owns
    /// but keeps as the file said them (<see cref="ImportExport.FileFields"/>), written back when an export asks for the file's ids.
    /// </summary>
    public string? Extra { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public int TotalAnnotations { get; set; }
    public int CancelledAnnotations { get; set; }
    public int TotalPredictions { get; set; }

    /// <summary>When the newest annotation that was not cancelled was made (Label Studio's <c>completed_at</c>); null without one.</summary>
    public DateTime? CompletedAt { get; set; }

    /// <summary>The mean score of the task's predictions (Label Studio's <c>predictions_score</c>); null without a scored one.</summary>
    public double? PredictionScore { get; set; }

    /// <summary>The task's scores and ground truth: the columns every star and rescoring writes, kept off this wide row.</summary>
    public TaskScoreSheet? Sheet { get; set; }

    public List<Annotation> Annotations { get; set; } = [];
    public List<Prediction> Predictions { get; set; } = [];
}

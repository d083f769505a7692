using System.Text.Json;

namespace GroundTruth.Core.Tasks;

/// <summary>A task with everything on it: <c>GET /api/tasks/{id}</c>.</summary>
public sealed record TaskDetail(
    long Id,
    long Project,
    long InnerId,
    long? ExternalId,
    JsonElement Data,
    JsonElement? Meta,
    int TotalAnnotations,
    int CancelledAnnotations,
    int TotalPredictions,
    bool GroundTruth,
    long? GroundTruthAnnotation,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    double? Agreement,
    double? MinAccuracy,
    IReadOnlyList<AnnotationView> Annotations,
    IReadOnlyList<PredictionView> Predictions);

/// <param name="ImportId">The id the annotation had in the file it was imported from, if it had one.</param>
public sealed record AnnotationView(
    long Id,
    long Task,
    long Project,
    long? ImportId,
    MemberRef CompletedBy,
    JsonElement Result,
    bool WasCancelled,
    bool GroundTruth,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    double? LeadTime,
    double? Accuracy,
    JsonElement? Breakdown);

public sealed record PredictionView(long Id, long Task, long Project, string ModelVersion, double? Score, JsonElement Result, DateTime CreatedAt, double? Accuracy, JsonElement? Breakdown);

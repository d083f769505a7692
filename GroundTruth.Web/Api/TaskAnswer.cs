using System.Text.Json;
using GroundTruth.Core.Tasks;

namespace GroundTruth.Web.Api;

/// <summary>A person beside a task (an annotator): Label Studio sends objects here.</summary>
public sealed record PersonAnswer(long Id, string Email, string Name);

/// <summary>A prediction as Label Studio's API answers it (its <c>Prediction</c> schema), with its accuracy for those who may see it.</summary>
public sealed record PredictionAnswer(long Id, long Task, long Project, string ModelVersion, double? Score, JsonElement Result, DateTime CreatedAt, DateTime UpdatedAt,
    string CreatedAgo, double? Accuracy, JsonElement? Breakdown)
{
    public static PredictionAnswer From(PredictionView p, DateTime now) =>
        new(p.Id, p.Task, p.Project, p.ModelVersion, p.Score, p.Result, p.CreatedAt, p.CreatedAt, AnnotationAnswer.Ago(now - p.CreatedAt), p.Accuracy, p.Breakdown);
}

/// <summary>
/// A task as Label Studio's API answers it (<c>LseTask</c>: every field it requires, those we have no use for empty),
/// with ours beside: inner id, counters, the ground truth, its annotation and annotator, the lowest annotator accuracy. <c>annotations</c> and
/// <c>predictions</c> are always inline (Label Studio's <c>fields=all</c>: a page loads them in two queries anyway).
/// Agreement is ours, 0–1 (Label Studio's is a percentage).
/// </summary>
public sealed record TaskAnswer(
    long Id,
    long InnerId,
    long Project,
    JsonElement Data,
    JsonElement? Meta,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<AnnotationAnswer> Annotations,
    IReadOnlyList<PredictionAnswer> Predictions,
    string AnnotationsIds,
    string AnnotationsResults,
    IReadOnlyList<PersonAnswer> Annotators,
    int AnnotatorsCount,
    string PredictionsModelVersions,
    string PredictionsResults,
    double? Agreement,
    double? AgreementSelected,
    int AnnotationTime,
    int ReviewTime,
    IReadOnlyList<PersonAnswer> CommentAuthors,
    int CommentAuthorsCount,
    int Comments,
    IReadOnlyList<JsonElement> Drafts,
    string? FileUpload,
    IReadOnlyList<PersonAnswer> Reviewers,
    int ReviewersCount,
    string State,
    string? StorageFilename,
    IReadOnlyList<PersonAnswer> UpdatedBy,
    int TotalAnnotations,
    int CancelledAnnotations,
    int TotalPredictions,
    bool GroundTruth,
    long? GroundTruthAnnotation,
    PersonAnswer? GroundTruthBy,
    double? Accuracy,
    long? ImportId)
{
    public static TaskAnswer From(TaskDetail t, DateTime now) => new(
        t.Id, t.InnerId, t.Project, t.Data, t.Meta, t.CreatedAt, t.UpdatedAt,
        [.. t.Annotations.Select(a => AnnotationAnswer.From(a, now))],
        [.. t.Predictions.Select(p => PredictionAnswer.From(p, now))],
        string.Join(",", t.Annotations.Select(a => a.Id)),
        string.Join(" | ", t.Annotations.Select(a => a.Result.GetRawText())),
        [.. t.Annotations.Select(a => a.CompletedBy).DistinctBy(m => m.Id).Select(m => new PersonAnswer(m.Id, m.Email, m.DisplayName))],
        t.Annotations.Select(a => a.CompletedBy.Id).Distinct().Count(),
        string.Join(",", t.Predictions.Select(p => p.ModelVersion).Distinct()),
        string.Join(" | ", t.Predictions.Select(p => p.Result.GetRawText())),
        t.Agreement, null,
        (int)Math.Round(t.Annotations.Sum(a => a.LeadTime ?? 0)), 0, [], 0, 0, [], null, [], 0,
        t.TotalAnnotations + t.CancelledAnnotations > 0 ? "labeled" : "unlabeled", null, [],
        t.TotalAnnotations, t.CancelledAnnotations, t.TotalPredictions, t.GroundTruth, t.GroundTruthAnnotation,
        t.Annotations.Where(a => a.Id == t.GroundTruthAnnotation).Select(a => new PersonAnswer(a.CompletedBy.Id, a.CompletedBy.Email, a.CompletedBy.DisplayName)).FirstOrDefault(),
        t.MinAccuracy, t.ExternalId);
}

/// <summary>A task in Label Studio's <c>TaskSimple</c> shape (<c>GET /api/projects/{id}/tasks/</c>), with the ground truth beside.</summary>
public sealed record TaskSimpleAnswer(
    long Id,
    long InnerId,
    long Project,
    JsonElement Data,
    JsonElement? Meta,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<AnnotationAnswer> Annotations,
    IReadOnlyList<PredictionAnswer> Predictions,
    int TotalAnnotations,
    int CancelledAnnotations,
    int TotalPredictions,
    bool IsLabeled,
    bool GroundTruth,
    long? GroundTruthAnnotation)
{
    public static TaskSimpleAnswer From(TaskDetail t, DateTime now) => new(
        t.Id, t.InnerId, t.Project, t.Data, t.Meta, t.CreatedAt, t.UpdatedAt,
        [.. t.Annotations.Select(a => AnnotationAnswer.From(a, now))], [.. t.Predictions.Select(p => PredictionAnswer.From(p, now))],
        t.TotalAnnotations, t.CancelledAnnotations, t.TotalPredictions, t.TotalAnnotations + t.CancelledAnnotations > 0, t.GroundTruth, t.GroundTruthAnnotation);
}

/// <summary><c>GET /api/tasks/</c> as Label Studio answers it: a page of tasks, the total, and the annotations and predictions of all matching tasks.</summary>
public sealed record TaskListAnswer(IReadOnlyList<TaskAnswer> Tasks, int Total, long TotalAnnotations, long TotalPredictions);

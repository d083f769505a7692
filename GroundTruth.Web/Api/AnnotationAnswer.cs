using System.Text.Json;
using GroundTruth.Core.Tasks;

namespace GroundTruth.Web.Api;

/// <summary>
/// An annotation as Label Studio's API answers it (its <c>Annotation</c> schema: <c>completed_by</c> the annotator's
/// id, which the statistics key by too, <c>created_username</c> beside it), with what we add: the annotator's email
/// and, for those who may see them, the accuracy against the ground truth and its breakdown.
/// </summary>
public sealed record AnnotationAnswer(
    long Id,
    long CompletedBy,
    string CreatedUsername,
    string CreatedAgo,
    string CompletedByEmail,
    JsonElement Result,
    bool WasCancelled,
    bool GroundTruth,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    double? LeadTime,
    long Task,
    long Project,
    long? ImportId,
    string State,
    double? Accuracy,
    JsonElement? Breakdown)
{
    /// <summary>Fields a PATCH may send with any value: they describe the moment of reading, not the annotation.</summary>
    public static readonly IReadOnlySet<string> OfTheMoment = new HashSet<string> { "created_ago" };

    public static AnnotationAnswer From(AnnotationView a, DateTime now) => new(
        a.Id, a.CompletedBy.Id, $"{a.CompletedBy.DisplayName} {a.CompletedBy.Email}, {a.CompletedBy.Id}", Ago(now - a.CreatedAt), a.CompletedBy.Email,
        a.Result, a.WasCancelled, a.GroundTruth, a.CreatedAt, a.UpdatedAt, a.LeadTime, a.Task, a.Project, a.ImportId,
        a.WasCancelled ? "skipped" : "submitted", a.Accuracy, a.Breakdown);

    /// <summary>How long ago, in the largest whole unit, as Label Studio's <c>created_ago</c> says it ("3 hours").</summary>
    public static string Ago(TimeSpan elapsed)
    {
        static string Plural(int n, string unit) => $"{n} {unit}{(n == 1 ? "" : "s")}";
        return elapsed.TotalDays >= 365 ? Plural((int)(elapsed.TotalDays / 365), "year")
            : elapsed.TotalDays >= 1 ? Plural((int)elapsed.TotalDays, "day")
            : elapsed.TotalHours >= 1 ? Plural((int)elapsed.TotalHours, "hour")
            : Plural(Math.Max(0, (int)elapsed.TotalMinutes), "minute");
    }
}

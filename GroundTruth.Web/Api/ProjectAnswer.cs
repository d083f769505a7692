using System.Globalization;
using System.Text.Json;
using GroundTruth.Core.Projects;

namespace GroundTruth.Web.Api;

/// <summary>Label Studio's assignment settings of a project: none of ours, present because its schema requires them.</summary>
public sealed record AssignmentSettingsAnswer(long Id, long Project, string? LabelStreamTaskDistribution);

/// <summary>Label Studio's review settings of a project: none of ours, present because its schema requires them.</summary>
public sealed record ReviewSettingsAnswer(long Id, long Project, bool RequeueRejectedTasksToAnnotator);

/// <summary>
/// A project as Label Studio answers <c>GET /api/projects/{id}/</c> (<c>LseProjectResponse</c>): its counts under Label
/// Studio's names (<c>task_number</c>, <c>ground_truth_number</c>, …), the settings it requires with Label Studio's
/// defaults, and ours beside (<c>task_count</c>, <c>ground_truth_count</c>, …).
/// </summary>
public sealed record ProjectAnswer(
    long Id,
    string Title,
    DateTime CreatedAt,
    int TaskNumber,
    int GroundTruthNumber,
    int TotalAnnotationsNumber,
    int TotalPredictionsNumber,
    int SkippedAnnotationsNumber,
    int NumTasksWithAnnotations,
    int FinishedTaskNumber,
    int UsefulAnnotationNumber,
    int MembersCount,
    string Members,
    bool AllowStream,
    bool Ready,
    string State,
    AssignmentSettingsAnswer AssignmentSettings,
    ReviewSettingsAnswer ReviewSettings,
    bool ConfigHasControlTags,
    bool ConfigSuitableForBulkAnnotation,
    JsonElement? DataTypes,
    JsonElement ParsedLabelConfig,
    string IsDimensionsEnabled,
    string Prompts,
    int QueueDone,
    int QueueLeft,
    int QueueTotal,
    int Rejected,
    int ReviewTotalTasks,
    int ReviewedNumber,
    int ReviewerQueueTotal,
    bool StartTrainingOnAnnotationUpdate,
    string Workspace,
    string WorkspaceTitle,
    int TaskCount,
    int GroundTruthCount,
    int AnnotationCount,
    int PredictionCount)
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    public static ProjectAnswer From(ProjectSummary p) => new(
        p.Id, p.Title, p.CreatedAt, p.TaskCount, p.GroundTruthCount, p.AnnotationCount, p.PredictionCount, p.SkippedCount, p.AnnotatedTaskCount,
        p.AnnotatedTaskCount, p.AnnotationCount, p.MemberCount, "", true, true, "active", new(p.Id, p.Id, null), new(p.Id, p.Id, false),
        false, false, null, EmptyObject, "false", "", 0, 0, 0, 0, 0, 0, 0, false, "", "",
        p.TaskCount, p.GroundTruthCount, p.AnnotationCount, p.PredictionCount);
}

/// <summary>
/// A project in Label Studio's project list (<c>AllRolesProjectList</c>): the same as <see cref="ProjectAnswer"/>, but
/// its schema types three counts as strings, so they are sent as strings here.
/// </summary>
public sealed record ProjectListItemAnswer(
    long Id,
    string Title,
    DateTime CreatedAt,
    int TaskNumber,
    int GroundTruthNumber,
    string TotalAnnotationsNumber,
    int TotalPredictionsNumber,
    string SkippedAnnotationsNumber,
    int NumTasksWithAnnotations,
    int FinishedTaskNumber,
    int UsefulAnnotationNumber,
    int MembersCount,
    string Members,
    bool AllowStream,
    bool Ready,
    string State,
    AssignmentSettingsAnswer AssignmentSettings,
    ReviewSettingsAnswer ReviewSettings,
    IReadOnlyList<JsonElement> Blueprints,
    bool ConfigHasControlTags,
    bool ConfigSuitableForBulkAnnotation,
    JsonElement? DataTypes,
    JsonElement ParsedLabelConfig,
    string DescriptionShort,
    string IsDimensionsEnabled,
    string Prompts,
    int QueueDone,
    int QueueLeft,
    string QueueTotal,
    int Rejected,
    int ReviewTotalTasks,
    int ReviewedNumber,
    int ReviewerQueueTotal,
    bool StartTrainingOnAnnotationUpdate,
    string Workspace,
    string WorkspaceTitle,
    int TaskCount,
    int GroundTruthCount,
    int AnnotationCount,
    int PredictionCount)
{
    public static ProjectListItemAnswer From(ProjectSummary p)
    {
        var a = ProjectAnswer.From(p);
        static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
        return new(a.Id, a.Title, a.CreatedAt, a.TaskNumber, a.GroundTruthNumber, Text(a.TotalAnnotationsNumber), a.TotalPredictionsNumber,
            Text(a.SkippedAnnotationsNumber), a.NumTasksWithAnnotations, a.FinishedTaskNumber, a.UsefulAnnotationNumber, a.MembersCount, a.Members,
            a.AllowStream, a.Ready, a.State, a.AssignmentSettings, a.ReviewSettings, [], a.ConfigHasControlTags, a.ConfigSuitableForBulkAnnotation,
            a.DataTypes, a.ParsedLabelConfig, "", a.IsDimensionsEnabled, a.Prompts, a.QueueDone, a.QueueLeft, Text(a.QueueTotal), a.Rejected,
            a.ReviewTotalTasks, a.ReviewedNumber, a.ReviewerQueueTotal, a.StartTrainingOnAnnotationUpdate, a.Workspace, a.WorkspaceTitle,
            a.TaskCount, a.GroundTruthCount, a.AnnotationCount, a.PredictionCount);
    }
}

/// <summary>Label Studio's paginated list: how many in all, links to the pages beside this one, and this page's items.</summary>
public sealed record PageAnswer<T>(int Count, string? Next, string? Previous, IReadOnlyList<T> Results)
{
    /// <summary>Page <paramref name="page"/> (from 1) of <paramref name="size"/> items, with links that keep the request's other parameters.</summary>
    public static PageAnswer<T> Of(IReadOnlyList<T> all, int page, int size, HttpRequest request)
    {
        if (page < 1 || size < 1)
        {
            throw new Core.BadInputException("page starts at 1 and page_size at 1.", page < 1 ? "page" : "page_size");
        }
        string Link(int to)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.QueryString.Value);
            query["page"] = to.ToString(CultureInfo.InvariantCulture);
            return Microsoft.AspNetCore.Http.Extensions.UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, QueryString.Create(query));
        }
        var skip = (long)(page - 1) * size;
        return new PageAnswer<T>(all.Count, skip + size < all.Count ? Link(page + 1) : null, page > 1 ? Link(page - 1) : null,
            [.. all.Skip((int)Math.Min(skip, all.Count)).Take(size)]);
    }
}

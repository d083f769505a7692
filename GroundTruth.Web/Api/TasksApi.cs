using System.Security.Claims;
using GroundTruth.Core;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Auth;

namespace GroundTruth.Web.Api;

internal static class TasksApi
{
    public static void MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization();

        api.MapGet("/", (long? project, string? query, int? page, int? page_size, ClaimsPrincipal user, TaskQueryService tasks, CancellationToken ct) =>
        {
            if (project is null)
            {
                throw new BadInputException("The project query parameter is required: /api/tasks?project=<id>.", "project");
            }
            return tasks.GetPageAsync(user.ToActor(), project.Value, TaskQuery.Parse(query), page ?? 1, page_size ?? 50, ct);
        });

        api.MapGet("/{id:long}", (long id, ClaimsPrincipal user, TaskQueryService tasks, CancellationToken ct) => tasks.GetTaskAsync(user.ToActor(), id, ct));

        api.MapGet("/{id:long}/ground-truth-history", async (long id, ClaimsPrincipal user, GroundTruthService groundTruths, CancellationToken ct) =>
            (await groundTruths.HistoryAsync(user.ToActor(), id, ct)).Select(c => new
            {
                c.Id,
                Task = c.TaskId,
                Annotation = c.AnnotationId,
                PreviousAnnotation = c.PreviousAnnotationId,
                c.Kind,
                c.Source,
                c.ChangedBy,
                c.ChangedAt,
            }));
    }
}

using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Tasks;

namespace GroundTruth.Web.Api;

internal static class TasksApi
{
    public static void MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tasks").WithTags("Tasks");

        api.MapGet("/", (long? project, string? query, int? page, int? page_size, TaskQueryService tasks, CancellationToken ct) =>
        {
            if (project is null)
            {
                throw new ArgumentException("The project query parameter is required: /api/tasks?project=<id>.");
            }
            return tasks.GetPageAsync(project.Value, TaskQuery.Parse(query), page ?? 1, page_size ?? 50, ct);
        });

        api.MapGet("/{id:long}", (long id, TaskQueryService tasks, CancellationToken ct) => tasks.GetTaskAsync(id, ct));

        api.MapGet("/{id:long}/ground-truth-history", async (long id, GroundTruthService groundTruths, CancellationToken ct) =>
            (await groundTruths.HistoryAsync(id, ct)).Select(c => new
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

using System.Security.Claims;
using GroundTruth.Core;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace GroundTruth.Web.Api;

internal static class TasksApi
{
    public static void MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization();

        // Label Studio's Data Manager list: a page of tasks with the total and the annotations and predictions of all
        // that match. Each task's annotations and predictions are inline, as with Label Studio's fields=all.
        // A saved view (view=<id>) gives its filters and ordering, and its project when none is named; a query's own
        // filters or ordering take the place of the view's.
        api.MapGet("/", async (long? project, long? view, string? query, int? page, [FromQuery(Name = "page_size")] int? pageSize, ClaimsPrincipal user,
            TaskQueryService tasks, SavedViewService views, TimeProvider time, CancellationToken ct) =>
        {
            var actor = user.ToActor();
            var asked = TaskQuery.Parse(query);
            if (view is { } viewId)
            {
                var saved = await views.GetAsync(actor, viewId, ct);
                project ??= saved.ProjectId;
                asked = saved.ProjectId == project
                    ? asked with { Filters = asked.Filters ?? saved.Query.Filters, Ordering = asked.Ordering ?? saved.Query.Ordering }
                    : throw new BadInputException($"View {viewId} belongs to project {saved.ProjectId}, not {project}.", "view");
            }
            if (project is null)
            {
                throw new BadInputException("The project query parameter is required: /api/tasks?project=<id> (or view=<id>).", "project");
            }
            var found = await tasks.GetPageAsync(actor, project.Value, asked, page ?? 1, pageSize ?? 50, ct, sums: true);
            var details = await tasks.GetTasksAsync(actor, project.Value, [.. found.Tasks.Select(t => t.Id)], ct);
            var now = time.GetUtcNow().UtcDateTime;
            return new TaskListAnswer([.. details.Select(t => TaskAnswer.From(t, now))], found.Total, found.TotalAnnotations ?? 0, found.TotalPredictions ?? 0);
        });

        api.MapGet("/{id:long}", async (long id, ClaimsPrincipal user, TaskQueryService tasks, TimeProvider time, CancellationToken ct) =>
            TaskAnswer.From(await tasks.GetTaskAsync(user.ToActor(), id, ct), time.GetUtcNow().UtcDateTime));

        api.MapGet("/{id:long}/annotations", async (long id, ClaimsPrincipal user, TaskQueryService tasks, TimeProvider time, CancellationToken ct) =>
        {
            var task = await tasks.GetTaskAsync(user.ToActor(), id, ct);
            var now = time.GetUtcNow().UtcDateTime;
            return task.Annotations.Select(a => AnnotationAnswer.From(a, now)).ToList();
        });

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

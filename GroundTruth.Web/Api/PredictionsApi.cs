using System.Security.Claims;
using GroundTruth.Core;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Auth;

namespace GroundTruth.Web.Api;

/// <summary>Label Studio's prediction endpoints: a task's or a project's predictions, and one prediction.</summary>
internal static class PredictionsApi
{
    public static void MapPredictionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/predictions").WithTags("Predictions").RequireAuthorization();

        // A task's predictions carry their accuracy; a project's are streamed without it (each task's answer has it).
        api.MapGet("/", async (long? task, long? project, ClaimsPrincipal user, TaskQueryService tasks, TimeProvider time, CancellationToken ct) =>
        {
            var actor = user.ToActor();
            var now = time.GetUtcNow().UtcDateTime;
            if (task is { } taskId)
            {
                var detail = await tasks.GetTaskAsync(actor, taskId, ct);
                return (project is null || project == detail.Project ? detail.Predictions.Select(p => PredictionAnswer.From(p, now)) : []).ToAsyncEnumerable();
            }
            if (project is not { } projectId)
            {
                throw new BadInputException("Name a task or a project: /api/predictions/?task=<id> or ?project=<id>.", "project");
            }
            return (await tasks.ProjectPredictionsAsync(actor, projectId, ct)).Select(p => PredictionAnswer.From(p, now));
        });

        api.MapGet("/{id:long}", async (long id, ClaimsPrincipal user, TaskQueryService tasks, TimeProvider time, CancellationToken ct) =>
            PredictionAnswer.From(await tasks.GetPredictionAsync(user.ToActor(), id, ct), time.GetUtcNow().UtcDateTime));
    }
}

using System.Security.Claims;
using GroundTruth.Core;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Auth;

namespace GroundTruth.Web.Api;

internal static class AnnotationsApi
{
    public sealed record AnnotationPatch(bool? GroundTruth);

    public static void MapAnnotationsApi(this IEndpointRouteBuilder app)
    {
        app.MapPatch("/api/annotations/{id:long}", async (long id, AnnotationPatch body, ClaimsPrincipal user, GroundTruthService groundTruths, TaskQueryService tasks, CancellationToken ct) =>
        {
            if (body.GroundTruth is not { } groundTruth)
            {
                throw new BadInputException("Send {\"ground_truth\": true} or {\"ground_truth\": false}.", "ground_truth");
            }
            var actor = user.ToActor();
            _ = groundTruth ? await groundTruths.SetAsync(actor, id, ChangeSource.Api, ct) : await groundTruths.UnsetAsync(actor, id, ChangeSource.Api, ct);
            return await tasks.GetAnnotationAsync(actor, id, ct);
        }).WithTags("Annotations").RequireAuthorization();
    }
}

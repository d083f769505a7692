using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Core.Tasks;

namespace GroundTruth.Web.Api;

internal static class AnnotationsApi
{
    public sealed record AnnotationPatch(bool? GroundTruth);

    public static void MapAnnotationsApi(this IEndpointRouteBuilder app)
    {
        app.MapPatch("/api/annotations/{id:long}", async (long id, AnnotationPatch body, GroundTruthService groundTruths, TaskQueryService tasks, CancellationToken ct) =>
        {
            if (body.GroundTruth is not { } groundTruth)
            {
                throw new ArgumentException("Send {\"ground_truth\": true} or {\"ground_truth\": false}.");
            }
            var context = new ChangeContext(ChangeSource.Api);
            _ = groundTruth ? await groundTruths.SetAsync(id, context, ct) : await groundTruths.UnsetAsync(id, context, ct);
            return await tasks.GetAnnotationAsync(id, ct);
        }).WithTags("Annotations");
    }
}

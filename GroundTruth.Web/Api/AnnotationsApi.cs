using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Auth;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace GroundTruth.Web.Api;

internal static class AnnotationsApi
{
    public static void MapAnnotationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/annotations").WithTags("Annotations").RequireAuthorization();

        api.MapGet("/{id:long}", async (long id, ClaimsPrincipal user, TaskQueryService tasks, TimeProvider time, CancellationToken ct) =>
            AnnotationAnswer.From(await tasks.GetAnnotationAsync(user.ToActor(), id, ct), time.GetUtcNow().UtcDateTime));

        // Label Studio's scripts GET an annotation, flip ground_truth and PATCH the whole object back: every other field
        // may come along with its current value; one that would change is a 400 naming it, never silently ignored.
        api.MapPatch("/{id:long}", async (long id, JsonObject body, ClaimsPrincipal user, GroundTruthService groundTruths, TaskQueryService tasks, TimeProvider time,
            IOptions<JsonOptions> json, CancellationToken ct) =>
        {
            var actor = user.ToActor();
            var current = AnnotationAnswer.From(await tasks.GetAnnotationAsync(actor, id, ct), time.GetUtcNow().UtcDateTime);
            var groundTruth = RequestedGroundTruth(body, JsonSerializer.SerializeToNode(current, json.Value.SerializerOptions)!.AsObject());
            if (groundTruth is null)
            {
                return current;
            }
            _ = groundTruth.Value ? await groundTruths.SetAsync(actor, id, ChangeSource.Api, ct) : await groundTruths.UnsetAsync(actor, id, ChangeSource.Api, ct);
            return AnnotationAnswer.From(await tasks.GetAnnotationAsync(actor, id, ct), time.GetUtcNow().UtcDateTime);
        }).DocumentsBody<AnnotationPatchShape>();
    }

    /// <summary>The flag the body asks for (null: it repeats the annotation as it is); a 400 naming the first field it cannot have.</summary>
    private static bool? RequestedGroundTruth(JsonObject body, JsonObject current)
    {
        bool? groundTruth = null;
        foreach (var (name, value) in body)
        {
            if (name == "ground_truth")
            {
                groundTruth = value?.GetValueKind() switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new BadInputException("ground_truth must be true or false.", "ground_truth"),
                };
            }
            else if (!current.ContainsKey(name))
            {
                throw new BadInputException($"{name} is not a field of an annotation here; a PATCH changes ground_truth only.", name);
            }
            else if (!AnnotationAnswer.OfTheMoment.Contains(name) && !Same(value, current[name]))
            {
                throw new BadInputException($"{name} cannot be changed here: a PATCH changes ground_truth only (send {name} as it is, or leave it out).", name);
            }
        }
        if (groundTruth is null && body.Count == 0)
        {
            throw new BadInputException("Send {\"ground_truth\": true} or {\"ground_truth\": false}.", "ground_truth");
        }
        return groundTruth;
    }

    /// <summary>The same value as JSON says it: numbers by value, timestamps as instants, anything else exactly.</summary>
    private static bool Same(JsonNode? sent, JsonNode? current)
    {
        if (sent?.GetValueKind() == JsonValueKind.Number && current?.GetValueKind() == JsonValueKind.Number)
        {
            return double.Parse(sent.ToJsonString(), CultureInfo.InvariantCulture) == double.Parse(current.ToJsonString(), CultureInfo.InvariantCulture);
        }
        if (sent?.GetValueKind() == JsonValueKind.String && current?.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(sent.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var a)
            && DateTimeOffset.TryParse(current.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var b))
        {
            return a == b;
        }
        return JsonNode.DeepEquals(sent, current);
    }
}

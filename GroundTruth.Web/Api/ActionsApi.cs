using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Auth;

namespace GroundTruth.Web.Api;

/// <summary>Label Studio's Data Manager actions endpoint, for the two ground-truth actions.</summary>
internal static class ActionsApi
{
    public sealed record ActionRequest(
        TaskFilters? Filters,
        IReadOnlyList<string>? Ordering,
        [property: JsonPropertyName("selectedItems")] TaskSelection? SelectedItems,
        JsonElement? Annotator,
        bool DryRun);

    /// <summary>A Data Manager action as Label Studio lists it, with the dialog its page shows before running it.</summary>
    public sealed record ActionAnswer(string Id, string Title, int Order, string Permission, bool Experimental, DialogAnswer Dialog);

    public sealed record DialogAnswer(string Title, string Text, string Type, IReadOnlyList<JsonElement>? Form);

    private static readonly ActionAnswer[] Actions =
    [
        new("set_ground_truths", "Set Ground Truths", 100, "tasks.change", false, new DialogAnswer("Set Ground Truths",
            "Each selected task's ground truth becomes the chosen annotator's latest non-cancelled annotation.", "confirm",
            [JsonSerializer.SerializeToElement(new { type = "select", name = "annotator", label = "Annotator (member id or email)", required = true })])),
        new("delete_ground_truths", "Delete Ground Truths", 101, "tasks.change", false, new DialogAnswer("Delete Ground Truths",
            "The selected tasks lose their ground truth; their annotations stay.", "confirm", null)),
    ];

    public static void MapActionsApi(this IEndpointRouteBuilder app)
    {
        // The actions this user may run in the project: managers and administrators run both, others none.
        app.MapGet("/api/dm/actions", async (long? project, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            if (project is null)
            {
                throw new BadInputException("The project query parameter is required.", "project");
            }
            var actor = user.ToActor();
            await projects.EnsureVisibleAsync(actor, project.Value, ct);
            return actor.IsAtLeast(Role.Manager) ? Actions : [];
        }).WithTags("Data Manager actions").RequireAuthorization();

        app.MapPost("/api/dm/actions", async (string? id, long? project, ActionRequest body, ClaimsPrincipal user, GroundTruthService groundTruths,
            CancellationToken ct) =>
        {
            if (project is null)
            {
                throw new BadInputException("The project query parameter is required.", "project");
            }
            var selection = body.SelectedItems
                ?? throw new BadInputException("selectedItems is required: {\"all\": true, \"excluded\": []} or {\"all\": false, \"included\": [ids]}.", "selectedItems");
            var query = new TaskQuery(body.Filters, body.Ordering);
            var actor = user.ToActor();
            switch (id)
            {
                case "set_ground_truths":
                    var annotator = Annotator(body.Annotator);
                    return await groundTruths.SetByAnnotatorAsync(actor, project.Value, query, selection, annotator, body.DryRun, ct);
                case "delete_ground_truths":
                    var deleted = await groundTruths.DeleteAsync(actor, project.Value, query, selection, ct);
                    return BulkResult.None with { ProcessedItems = deleted, Deleted = deleted };
                default:
                    throw new BadInputException($"Unknown action '{id}'. Allowed: set_ground_truths, delete_ground_truths.", "id");
            }
        }).WithTags("Data Manager actions").RequireAuthorization();
    }

    private static AnnotatorRef Annotator(JsonElement? annotator) => (annotator is { } given ? UnicodeRepair.Repair(given, out _) : (JsonElement?)null) switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var id) => id,
        { ValueKind: JsonValueKind.String } s => AnnotatorRef.ByEmail(s.GetString()!),
        _ => throw new BadInputException("annotator is required: a member id or an email.", "annotator"),
    };
}

using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Auth;

namespace GroundTruth.Web.Api;

/// <summary>Label Studio's <c>View</c>: a Data Manager tab with its <c>data</c> (title, filters, ordering, …) as saved.</summary>
public sealed record ViewAnswer(long Id, long Project, long? User, int? Order, JsonObject Data, JsonNode? Ordering, JsonNode? SelectedItems)
{
    public static ViewAnswer From(SavedViewRecord view) =>
        new(view.Id, view.ProjectId, view.UserId, view.Order, view.Data, view.Data["ordering"]?.DeepClone(), null);
}

/// <summary>Label Studio's saved views (<c>/api/dm/views/</c>): list by project, create, read, patch, replace, delete.</summary>
internal static class ViewsApi
{
    public static void MapViewsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dm/views").WithTags("Data Manager").RequireAuthorization();

        api.MapGet("/", async (long? project, ClaimsPrincipal user, SavedViewService views, CancellationToken ct) =>
            project is { } id
                ? (await views.ListAsync(user.ToActor(), id, ct)).Select(ViewAnswer.From).ToList()
                : throw new BadInputException("The project query parameter is required: /api/dm/views/?project=<id>.", "project"));

        api.MapPost("/", async (JsonObject body, ClaimsPrincipal user, SavedViewService views, CancellationToken ct) =>
        {
            var project = Integer(body, "project") ?? throw new BadInputException("project is required: the id of the project the view belongs to.", "project");
            var view = await views.CreateAsync(user.ToActor(), project, body["data"], (int?)Integer(body, "order"), ct);
            return Results.Created($"/api/dm/views/{view.Id}/", ViewAnswer.From(view));
        }).Produces<ViewAnswer>(StatusCodes.Status201Created).DocumentsBody<ViewShape>();

        api.MapGet("/{id:long}", async (long id, ClaimsPrincipal user, SavedViewService views, CancellationToken ct) =>
            ViewAnswer.From(await views.GetAsync(user.ToActor(), id, ct)));

        // PATCH changes what it names; PUT replaces data and order (what it leaves out becomes empty).
        api.MapPatch("/{id:long}", (long id, JsonObject body, ClaimsPrincipal user, SavedViewService views, CancellationToken ct) =>
            UpdateAsync(id, body, replace: false, user, views, ct)).DocumentsBody<ViewShape>();
        api.MapPut("/{id:long}", (long id, JsonObject body, ClaimsPrincipal user, SavedViewService views, CancellationToken ct) =>
            UpdateAsync(id, body, replace: true, user, views, ct)).DocumentsBody<ViewShape>();

        api.MapDelete("/{id:long}", async (long id, ClaimsPrincipal user, SavedViewService views, CancellationToken ct) =>
        {
            await views.DeleteAsync(user.ToActor(), id, ct);
            return TypedResults.NoContent();
        });
    }

    private static async Task<ViewAnswer> UpdateAsync(long id, JsonObject body, bool replace, ClaimsPrincipal user, SavedViewService views, CancellationToken ct)
    {
        var actor = user.ToActor();
        var current = await views.GetAsync(actor, id, ct);
        // A view stays in its project: repeating the project is fine, moving it is a 400 rather than silently ignored.
        if (Integer(body, "project") is { } project && project != current.ProjectId)
        {
            throw new BadInputException($"A view cannot move to another project (it belongs to {current.ProjectId}).", "project");
        }
        var setData = replace || body.ContainsKey("data");
        var setOrder = replace || body.ContainsKey("order");
        return ViewAnswer.From(await views.UpdateAsync(actor, id, body["data"], setData, (int?)Integer(body, "order"), setOrder, ct));
    }

    /// <summary>An integer field of the body (an <c>order</c> within 32 bits), null when absent or null, else a 400 naming it.</summary>
    private static long? Integer(JsonObject body, string field)
    {
        var node = body[field];
        if (node is null)
        {
            return null;
        }
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n) && (field != "order" || n is >= int.MinValue and <= int.MaxValue)
            ? n
            : throw new BadInputException($"{field} must be an integer, not {node.ToJsonString()}.", field);
    }
}

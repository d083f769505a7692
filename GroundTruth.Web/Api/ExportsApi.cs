using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core;
using GroundTruth.Core.ImportExport;
using GroundTruth.Web.Auth;

namespace GroundTruth.Web.Api;

/// <summary>Label Studio's <c>UserSimple</c>: who made a snapshot. Our accounts have an email and no username, so both carry it.</summary>
public sealed record UserSimpleAnswer(long Id, string Username, string Email, string Avatar, string FirstName, string LastName);

/// <summary>Label Studio's <c>Export</c> (and <c>LseExportCreate</c>, which echoes the filter options asked for).</summary>
public sealed record ExportAnswer(long Id, string Title, DateTime CreatedAt, DateTime? FinishedAt, string Status, UserSimpleAnswer? CreatedBy,
    IReadOnlyDictionary<string, int> Counters, IReadOnlyList<object> ConvertedFormats, JsonObject TaskFilterOptions, JsonObject AnnotationFilterOptions)
{
    public static ExportAnswer From(ExportSnapshotView snapshot) => new(snapshot.Id, snapshot.Title, snapshot.CreatedAt, snapshot.FinishedAt, snapshot.Status,
        snapshot is { CreatedByUserId: { } id, CreatedByEmail: { } email } ? new UserSimpleAnswer(id, email, email, "", "", "") : null,
        new Dictionary<string, int> { ["task_number"] = snapshot.Tasks, ["annotation_number"] = snapshot.Annotations, ["prediction_number"] = snapshot.Predictions },
        [],
        new JsonObject { ["only_with_annotations"] = snapshot.OnlyWithAnnotations },
        new JsonObject { ["usual"] = true, ["ground_truth"] = true, ["skipped"] = true });
}

/// <summary>
/// Label Studio's export snapshots, which its SDKs use instead of the simple export: create one (a job builds it), poll
/// it until <c>completed</c>, download it in any of the formats the simple export writes, delete it.
/// </summary>
internal static class ExportsApi
{
    public static void MapExportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{id:long}/exports").WithTags("Export").RequireAuthorization();

        api.MapGet("/", async (long id, ClaimsPrincipal user, ExportSnapshotService snapshots, CancellationToken ct) =>
            (await snapshots.ListAsync(user.ToActor(), id, ct)).Select(ExportAnswer.From).ToList());

        api.MapPost("/", async (long id, JsonObject? body, ClaimsPrincipal user, ExportSnapshotService snapshots, CancellationToken ct) =>
        {
            body ??= [];
            var title = body["title"] switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                var other => throw new BadInputException($"title must be a string, not {other.ToJsonString()}.", "title"),
            };
            var onlyWithAnnotations = ReadOptions(body);
            var snapshot = await snapshots.CreateAsync(user.ToActor(), id, title, onlyWithAnnotations, ct);
            return Results.Created($"/api/projects/{id}/exports/{snapshot.Id}", ExportAnswer.From(snapshot));
        }).Produces<ExportAnswer>(StatusCodes.Status201Created).DocumentsBody<ExportShape>();

        api.MapGet("/{exportId:long}", async (long id, long exportId, ClaimsPrincipal user, ExportSnapshotService snapshots, CancellationToken ct) =>
            ExportAnswer.From(await snapshots.GetAsync(user.ToActor(), id, exportId, ct)));

        api.MapDelete("/{exportId:long}", async (long id, long exportId, ClaimsPrincipal user, ExportSnapshotService snapshots, CancellationToken ct) =>
        {
            await snapshots.DeleteAsync(user.ToActor(), id, exportId, ct);
            return TypedResults.NoContent();
        });

        // exportType (or export_type) picks the format, JSON by default; a snapshot still being built is a 409.
        api.MapGet("/{exportId:long}/download", async (long id, long exportId, HttpContext context, ExportSnapshotService snapshots, CancellationToken ct) =>
        {
            var actor = context.User.ToActor();
            var query = context.Request.Query;
            var format = LabelStudioExporter.Format(query["exportType"].FirstOrDefault() ?? query["export_type"].FirstOrDefault());
            await snapshots.EnsureCompletedAsync(actor, id, exportId, ct);
            var (contentType, extension) = LabelStudioExporter.FileOf(format);
            context.Response.ContentType = contentType;
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"project-{id}-export-{exportId}.{extension}\"";
            await snapshots.DownloadAsync(actor, id, exportId, format, context.Response.Body, ct);
        }).ProducesExport();
    }

    /// <summary>
    /// The filter options we build: <c>task_filter_options.only_with_annotations</c>. The others Label Studio offers are
    /// refused by name when they would filter anything, so a script never gets a file it did not ask for.
    /// </summary>
    private static bool ReadOptions(JsonObject body)
    {
        var tasks = Options(body, "task_filter_options");
        foreach (var (name, value) in tasks)
        {
            if (name == "only_with_annotations")
            {
                continue;
            }
            if (value is not null)
            {
                throw new BadInputException($"task_filter_options.{name} is not supported here; leave it out (or null). Only only_with_annotations filters a snapshot.",
                    $"task_filter_options.{name}");
            }
        }
        foreach (var (name, value) in Options(body, "annotation_filter_options"))
        {
            // usual, ground_truth and skipped annotations are all exported; asking to leave some out is not supported.
            var keepsAll = value is null || (name != "reviewed" && value is JsonValue v && v.GetValueKind() == JsonValueKind.True);
            if (!keepsAll)
            {
                throw new BadInputException($"annotation_filter_options.{name} = {value!.ToJsonString()} is not supported here: every annotation is exported.",
                    $"annotation_filter_options.{name}");
            }
        }
        return tasks["only_with_annotations"] switch
        {
            null => false,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            var other => throw new BadInputException($"task_filter_options.only_with_annotations must be true or false, not {other.ToJsonString()}.",
                "task_filter_options.only_with_annotations"),
        };
    }

    private static JsonObject Options(JsonObject body, string field) => body[field] switch
    {
        null => [],
        JsonObject options => options,
        var other => throw new BadInputException($"{field} must be an object, not {other.ToJsonString()}.", field),
    };
}

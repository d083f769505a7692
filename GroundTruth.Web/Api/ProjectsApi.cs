using System.Security.Claims;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace GroundTruth.Web.Api;

internal static class ProjectsApi
{
    public sealed record CreateProject(string? Title);

    public sealed record AddMember(string? Email);

    /// <summary>
    /// Imports are streamed, so a large file costs no memory; the limit (<c>GroundTruth:MaxImportBytes</c>, default 1 GiB)
    /// replaces Kestrel's 30 MB default, which would refuse a 100k-task export. Over it the answer is a 413 problem.
    /// </summary>
    private const long DefaultMaxImportBytes = 1L << 30;

    private const int MaxBoundaryLength = 70;

    public static void MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects").WithTags("Projects").RequireAuthorization();

        // Label Studio's paginated project list, the counts of each under its names.
        api.MapGet("/", async (int? page, [FromQuery(Name = "page_size")] int? pageSize, HttpRequest request, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            PageAnswer<ProjectListItemAnswer>.Of([.. (await projects.ListAsync(user.ToActor(), ct)).Select(ProjectListItemAnswer.From)], page ?? 1, pageSize ?? 100, request));

        api.MapPost("/", async (CreateProject body, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            var project = await projects.CreateAsync(user.ToActor(), body.Title ?? "", ct);
            return TypedResults.Created($"/api/projects/{project.Id}", ProjectAnswer.From(project));
        });

        api.MapGet("/{id:long}", async (long id, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) => ProjectAnswer.From(await projects.GetAsync(user.ToActor(), id, ct)));

        var maxImportBytes = app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue("GroundTruth:MaxImportBytes", DefaultMaxImportBytes);
        api.MapPost("/{id:long}/import", async (long id, HttpRequest request, ClaimsPrincipal user, LabelStudioImporter importer, CancellationToken ct) =>
        {
            if (request.ContentLength > maxImportBytes)
            {
                throw MaxLengthStream.TooLarge(maxImportBytes);
            }
            var body = new MaxLengthStream(request.Body, maxImportBytes);
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                return await importer.ImportAsync(user.ToActor(), id, body, ct: ct);
            }
            // Multipart: stream the first file section straight into the importer, never buffering the upload.
            var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value
                ?? throw new BadInputException("The multipart body has no boundary.", "Content-Type");
            if (boundary.Length > MaxBoundaryLength)
            {
                throw new BadInputException($"The multipart boundary is {boundary.Length} characters long; RFC 2046 allows 1 to {MaxBoundaryLength}.", "Content-Type");
            }
            try
            {
                var reader = new MultipartReader(boundary, body);
                while (await reader.ReadNextSectionAsync(ct) is { } section)
                {
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                    {
                        return await importer.ImportAsync(user.ToActor(), id, section.Body, ct: ct);
                    }
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
            {
                // MultipartReader's words for a body that does not follow its boundary. A file part cut short before its
                // closing boundary fails inside the import, whose transaction then keeps nothing.
                throw new BadInputException($"The multipart body is broken: {e.Message}", "file");
            }
            throw new BadInputException("The multipart form holds no file; send the Label Studio JSON as a file field.", "file");
        }).DisableAntiforgery().AcceptsLabelStudioFile()
          .WithMetadata(new RequestSizeLimitAttribute(maxImportBytes));

        // Label Studio's simple export: export_type (or exportType) picks the format, ids (or ids[]) the tasks.
        api.MapGet("/{id:long}/export", async (long id, [FromQuery(Name = "id_source")] string? idSource, HttpContext context, LabelStudioExporter exporter, CancellationToken ct) =>
        {
            var actor = context.User.ToActor();
            var ids = IdSources.Parse(idSource);
            var query = context.Request.Query;
            var format = LabelStudioExporter.Format(query["export_type"].FirstOrDefault() ?? query["exportType"].FirstOrDefault());
            var only = QueryValues.OptionalIds(context.Request, "ids", "task");
            await exporter.EnsureExportableAsync(actor, id, ct);
            var (contentType, extension) = LabelStudioExporter.FileOf(format);
            context.Response.ContentType = contentType;
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"project-{id}.{extension}\"";
            await exporter.ExportAsync(actor, id, context.Response.Body, ct, ids, only, format);
        }).ProducesExport();

        api.MapGet("/{id:long}/export/formats", async (long id, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            await projects.EnsureVisibleAsync(user.ToActor(), id, ct);
            return LabelStudioExporter.Formats;
        });

        // The task → ground-truth pairs, for a script that sets the same ground truths in Label Studio (see the README).
        api.MapGet("/{id:long}/ground-truths", (long id, [FromQuery(Name = "id_source")] string? idSource, ClaimsPrincipal user, GroundTruthService groundTruths,
            CancellationToken ct) => groundTruths.PairsAsync(user.ToActor(), id, IdSources.Parse(idSource), ct));

        // Label Studio's TaskSimple list: the project's tasks in id order, each with its annotations and predictions.
        api.MapGet("/{id:long}/tasks", async (long id, int? page, [FromQuery(Name = "page_size")] int? pageSize, ClaimsPrincipal user, TaskQueryService tasks,
            TimeProvider time, CancellationToken ct) =>
        {
            var actor = user.ToActor();
            var found = await tasks.GetPageAsync(actor, id, null, page ?? 1, pageSize ?? 100, ct);
            var now = time.GetUtcNow().UtcDateTime;
            return (await tasks.GetTasksAsync(actor, id, [.. found.Tasks.Select(t => t.Id)], ct)).Select(t => TaskSimpleAnswer.From(t, now)).ToList();
        });

        api.MapGet("/{id:long}/members", (long id, ClaimsPrincipal user, ProjectMemberService members, CancellationToken ct) =>
            members.ListAsync(user.ToActor(), id, ct));

        api.MapPost("/{id:long}/members", (long id, AddMember body, ClaimsPrincipal user, ProjectMemberService members, CancellationToken ct) =>
            members.AddAsync(user.ToActor(), id, body.Email ?? "", ct));

        api.MapDelete("/{id:long}/members/{userId:long}", async (long id, long userId, ClaimsPrincipal user, ProjectMemberService members, CancellationToken ct) =>
        {
            await members.RemoveAsync(user.ToActor(), id, userId, ct);
            return TypedResults.NoContent();
        });
    }
}

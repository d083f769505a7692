using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Projects;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace GroundTruth.Web.Api;

internal static class ProjectsApi
{
    public sealed record CreateProject(string? Title);

    /// <summary>Imports are streamed, so a large file costs no memory; Kestrel's 30 MB default would refuse a 100k-task export.</summary>
    private const long MaxImportBytes = 4L * 1024 * 1024 * 1024;

    public static void MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects").WithTags("Projects");

        api.MapGet("/", (ProjectService projects, CancellationToken ct) => projects.ListAsync(ct));

        api.MapPost("/", async (CreateProject body, ProjectService projects, CancellationToken ct) =>
        {
            var project = await projects.CreateAsync(body.Title ?? "", ct);
            return TypedResults.Created($"/api/projects/{project.Id}", project);
        });

        api.MapGet("/{id:long}", (long id, ProjectService projects, CancellationToken ct) => projects.GetAsync(id, ct));

        api.MapPost("/{id:long}/import", async (long id, HttpRequest request, LabelStudioImporter importer, CancellationToken ct) =>
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                return await importer.ImportAsync(id, request.Body, ct: ct);
            }
            // Multipart: stream the first file section straight into the importer, never buffering the upload.
            var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value
                ?? throw new ArgumentException("The multipart body has no boundary.");
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                {
                    return await importer.ImportAsync(id, section.Body, ct: ct);
                }
            }
            throw new ArgumentException("The multipart form holds no file; send the Label Studio JSON as a file field.");
        }).DisableAntiforgery().Accepts<object>("application/json", "multipart/form-data")
          .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes));

        api.MapGet("/{id:long}/export", async (long id, HttpContext context, LabelStudioExporter exporter, CancellationToken ct) =>
        {
            await exporter.EnsureExportableAsync(id, ct);
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"project-{id}.json\"";
            await exporter.ExportAsync(id, context.Response.Body, ct);
        });
    }
}

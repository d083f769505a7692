using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Projects;

namespace GroundTruth.Web.Api;

internal static class ProjectsApi
{
    public sealed record CreateProject(string? Title);

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
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(ct);
                var file = form.Files.FirstOrDefault()
                    ?? throw new ArgumentException("The multipart form holds no file; send the Label Studio JSON as a file field.");
                await using var upload = file.OpenReadStream();
                return await importer.ImportAsync(id, upload, ct: ct);
            }
            return await importer.ImportAsync(id, request.Body, ct: ct);
        }).DisableAntiforgery().Accepts<object>("application/json", "multipart/form-data");

        api.MapGet("/{id:long}/export", async (long id, HttpContext context, LabelStudioExporter exporter, CancellationToken ct) =>
        {
            await exporter.EnsureExportableAsync(id, ct);
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"project-{id}.json\"";
            await exporter.ExportAsync(id, context.Response.Body, ct);
        });
    }
}

using Microsoft.OpenApi;

namespace GroundTruth.Web.Api;

/// <summary>What the OpenAPI document cannot infer from an endpoint's return type.</summary>
internal static class OpenApiAnswers
{
    /// <summary>
    /// An endpoint whose answer takes one of two shapes (Label Studio's statistics answer per annotator, or per label
    /// with <c>per_label=1</c>): the document says <c>oneOf</c> the two schemas.
    /// </summary>
    public static RouteHandlerBuilder ProducesOneOf<TFirst, TSecond>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = new OpenApiSchema
            {
                OneOf = [await context.GetOrCreateSchemaAsync(typeof(TFirst), null, ct), await context.GetOrCreateSchemaAsync(typeof(TSecond), null, ct)],
            };
            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "OK",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    /// <summary>
    /// The body's schema is <typeparamref name="TShape"/>'s: for an endpoint that reads a JsonObject to see which fields
    /// were sent (see RequestShapes.cs).
    /// </summary>
    public static RouteHandlerBuilder DocumentsBody<TShape>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
            {
                json.Schema = await context.GetOrCreateSchemaAsync(typeof(TShape), null, ct);
            }
        });

    /// <summary>An import's body: the Label Studio JSON array itself, or a multipart form with it as a file.</summary>
    public static RouteHandlerBuilder AcceptsLabelStudioFile(this RouteHandlerBuilder builder) =>
        builder.Accepts<System.Text.Json.Nodes.JsonArray>("application/json", "multipart/form-data")
            .AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                if (operation.RequestBody?.Content is { } content)
                {
                    content["application/json"] = new OpenApiMediaType { Schema = await context.GetOrCreateSchemaAsync(typeof(IReadOnlyList<ImportTaskShape>), null, ct) };
                    content["multipart/form-data"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                        },
                    };
                }
            });

    /// <summary>A download: the formats of <see cref="Core.ImportExport.LabelStudioExporter.Formats"/>, each under its media type.</summary>
    public static RouteHandlerBuilder ProducesExport(this RouteHandlerBuilder builder) =>
        builder.Produces<System.Text.Json.Nodes.JsonArray>(StatusCodes.Status200OK, "application/json")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (operation.Responses?["200"] is OpenApiResponse ok && ok.Content is { } content)
                {
                    foreach (var mediaType in new[] { "text/csv", "text/tab-separated-values" })
                    {
                        content[mediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                    }
                }
                return Task.CompletedTask;
            });
}

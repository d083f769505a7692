using System.Net;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Api;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) a script writer and the API reference page read: every endpoint is in
/// it, each answer that has a body says what is in it, and each request body says what to send.
/// </summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();
    private JsonNode _document = null!;

    public async Task InitializeAsync()
    {
        using var client = _factory.AdminClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private IEnumerable<(string Method, string Path, JsonObject Operation)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(o => (o.Key.ToUpperInvariant(), path.Key, o.Value!.AsObject())));

    /// <summary>A schema that says something: a reference, a type, or a composition — not the empty schema.</summary>
    private bool Typed(JsonNode? schema) => schema is JsonObject s && (s["$ref"] is not null || s["type"] is not null || s["oneOf"] is not null || s["anyOf"] is not null || s["allOf"] is not null);

    /// <summary>
    /// A request schema that says what to send: an object with its properties, an array of such, a reference to a named
    /// schema other than the bare JSON types (JsonObject, JsonArray, …), or a composition of those.
    /// </summary>
    private bool Described(JsonNode? schema)
    {
        if (schema?["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference.Split('/')[^1];
            return !name.StartsWith("Json", StringComparison.Ordinal) && Described(_document["components"]!["schemas"]![name]);
        }
        return schema?["type"]?.ToString() switch
        {
            "object" => schema["properties"] is JsonObject { Count: > 0 },
            "array" => Described(schema["items"]),
            "string" or "integer" or "number" or "boolean" => true,
            _ => (schema?["oneOf"] ?? schema?["anyOf"] ?? schema?["allOf"]) is JsonArray parts && parts.All(p => Described(p) || p?["type"]?.ToString() == "null"),
        };
    }

    [Fact]
    public void Every_api_endpoint_is_listed()
    {
        var listed = Operations().Select(o => $"{o.Method} {o.Path}").ToHashSet();
        var missing = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m =>
                $"{m} {System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!.TrimEnd('/'), @"\{(\w+)(:[^}]*)?\}", "{$1}")}"))
            .Where(e => !listed.Contains(e) && !listed.Contains(e + "/"))
            .ToList();
        Assert.True(missing.Count == 0, "Not in the OpenAPI document:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_answer_with_a_body_and_every_request_body_is_typed()
    {
        var untyped = new List<string>();
        foreach (var (method, path, operation) in Operations())
        {
            var successes = operation["responses"]?.AsObject().Where(r => r.Key.StartsWith('2')).ToList() ?? [];
            if (successes.Count == 0)
            {
                untyped.Add($"{method} {path}: no success answer");
            }
            foreach (var (status, response) in successes)
            {
                var content = response?["content"]?.AsObject();
                if (status == "204")
                {
                    continue;
                }
                if (content is null || content.Count == 0 || content.Any(c => !Typed(c.Value?["schema"])))
                {
                    untyped.Add($"{method} {path}: answer {status} {content?.ToJsonString() ?? "has no content"}");
                }
            }
            if (method is "POST" or "PUT" or "PATCH" && operation["requestBody"]?["content"]?.AsObject() is { } request && request.Any(c => !Described(c.Value?["schema"])))
            {
                untyped.Add($"{method} {path}: request {request.ToJsonString()}");
            }
        }
        Assert.True(untyped.Count == 0, $"{untyped.Count} untyped:\n" + string.Join("\n", untyped));
    }
}

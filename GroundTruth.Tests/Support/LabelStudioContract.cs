using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace GroundTruth.Tests.Support;

/// <summary>
/// Label Studio's OpenAPI document (<c>TestData/reference/label-studio-openapi.json</c>) as JSON Schemas: an answer of
/// ours under a Label Studio path must validate against the response schema Label Studio publishes for it. OpenAPI 3.0
/// is turned into JSON Schema 2020-12 (<c>$ref</c>s into <c>$defs</c>, <c>nullable</c> into a null type, formats not
/// enforced), and the document's known defects (end of <c>label-studio-format.md</c>) are read as Label Studio behaves.
/// </summary>
public static class LabelStudioContract
{
    private const string Components = "#/components/schemas/";

    /// <summary>Task serializers whose read-only fields are typed as a bare string while Label Studio sends arrays, numbers, objects.</summary>
    private static readonly HashSet<string> TaskSerializers = ["LseTask", "LseTaskSerializerForReviewers", "LseTaskSerializerForAnnotators", "TaskSimple"];

    private static readonly Lazy<JsonObject> Document = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.TestDataFolder, "reference", "label-studio-openapi.json")))!.AsObject());

    private static readonly Lazy<JsonObject> Definitions = new(() =>
    {
        var definitions = new JsonObject();
        foreach (var (name, schema) in Document.Value["components"]!["schemas"]!.AsObject())
        {
            var converted = Convert(schema!);
            if (TaskSerializers.Contains(name))
            {
                RelaxBareStrings(converted.AsObject());
            }
            // RoleBasedTask's oneOf holds two identical serializers, so exactly one can never match.
            if (name == "RoleBasedTask" && converted.AsObject().Remove("oneOf", out var variants))
            {
                converted["anyOf"] = variants;
            }
            definitions[name] = converted;
        }
        return definitions;
    });

    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new();

    /// <summary>Fails, naming every place the answer breaks it, unless <paramref name="answer"/> is what Label Studio's schema allows.</summary>
    public static void AssertAnswers(string method, string path, JsonNode? answer, int status = 200)
    {
        var schema = Built.GetOrAdd($"{method.ToUpperInvariant()} {path} {status}", key => Build(key, ResponseSchema(method, path, status)));
        using var instance = JsonDocument.Parse(answer?.ToJsonString() ?? "null");
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        if (!result.IsValid)
        {
            Assert.Fail($"{method} {path} answered what Label Studio's schema does not allow:\n{string.Join("\n", Errors(result).Distinct().Take(20))}");
        }
    }

    private static IEnumerable<string> Errors(EvaluationResults result) =>
        (result.Errors ?? []).Select(e => $"{result.InstanceLocation} ({result.EvaluationPath}): {e.Value}")
            .Concat((result.Details ?? []).Where(d => !d.IsValid).SelectMany(Errors));

    /// <summary>The paths and methods the document describes, e.g. ("get", "/api/projects/").</summary>
    public static IEnumerable<(string Method, string Path)> Operations() =>
        Document.Value["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => (m.Key, p.Key)));

    private static JsonNode ResponseSchema(string method, string path, int status)
    {
        var operation = Document.Value["paths"]?[path]?[method.ToLowerInvariant()]
            ?? throw new ArgumentException($"Label Studio's document has no {method} {path}.");
        return operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"]
            ?? throw new ArgumentException($"Label Studio's document gives no JSON schema for {method} {path} {status}.");
    }

    private static JsonSchema Build(string key, JsonNode response)
    {
        var root = Convert(response).AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = Definitions.Value.DeepClone();
        var uri = new Uri($"https://contract.test/{Uri.EscapeDataString(key)}");
        return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, uri);
    }

    /// <summary>An OpenAPI 3.0 schema object as JSON Schema 2020-12.</summary>
    private static JsonNode Convert(JsonNode schema)
    {
        if (schema is not JsonObject source)
        {
            return schema.DeepClone();
        }
        var target = new JsonObject();
        foreach (var (keyword, value) in source)
        {
            switch (keyword)
            {
                case "$ref":
                    target["$ref"] = "#/$defs/" + value!.GetValue<string>()[Components.Length..];
                    break;
                case "nullable" or "format" or "example" or "discriminator" or "xml" or "externalDocs":
                    break;
                case "properties" or "patternProperties":
                    target[keyword] = new JsonObject(value!.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Convert(p.Value!))));
                    break;
                case "items" or "additionalProperties" or "not":
                    target[keyword] = Convert(value!);
                    break;
                case "allOf" or "anyOf" or "oneOf":
                    target[keyword] = new JsonArray(value!.AsArray().Select(s => (JsonNode?)Convert(s!)).ToArray());
                    break;
                default:
                    target[keyword] = value?.DeepClone();
                    break;
            }
        }
        if (source["nullable"]?.GetValue<bool>() == true)
        {
            if (target["type"] is JsonValue type)
            {
                target["type"] = new JsonArray(type.GetValue<string>(), "null");
                if (target["enum"] is JsonArray values && !values.Any(v => v is null))
                {
                    values.Add(null);
                }
            }
            else
            {
                return new JsonObject { ["anyOf"] = new JsonArray(target, new JsonObject { ["type"] = "null" }) };
            }
        }
        return target;
    }

    /// <summary>Read-only fields typed as a bare string in the task serializers: present, of whatever type Label Studio sends.</summary>
    private static void RelaxBareStrings(JsonObject serializer)
    {
        if (serializer["properties"] is not JsonObject properties)
        {
            return;
        }
        foreach (var name in properties.Select(p => p.Key).ToList())
        {
            var property = properties[name]!.AsObject();
            var bareString = property["readOnly"]?.GetValue<bool>() == true && property["type"] is JsonValue t && t.GetValue<string>() == "string" && property["enum"] is null;
            if (bareString || name == "file_upload")
            {
                properties[name] = new JsonObject { ["description"] = $"read as Label Studio sends it (was {property.ToJsonString()})" };
            }
        }
    }
}

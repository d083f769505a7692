using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GroundTruth.Web.Api;

// What the OpenAPI document shows for the bodies read as JSON objects: those endpoints must see which fields were sent
// (a PATCH changes only what it names; a field we cannot honour is a 400 naming it), so they read a JsonObject and the
// document takes its schema from these shapes (see OpenApiAnswers.DocumentsBody). Only `required` members are required.

/// <summary>One Label Studio task in an import: its data, and any annotations and predictions it comes with.</summary>
public sealed class ImportTaskShape
{
    public required JsonObject Data { get; init; }
    public long? Id { get; init; }
    public IReadOnlyList<JsonObject>? Annotations { get; init; }
    public IReadOnlyList<JsonObject>? Predictions { get; init; }
    public JsonObject? Meta { get; init; }
}

/// <summary>Label Studio's saved view: the project it belongs to (required to create one), its <c>data</c>, its place among the tabs.</summary>
public sealed class ViewShape
{
    public long? Project { get; init; }
    public ViewDataShape? Data { get; init; }
    public int? Order { get; init; }
}

/// <summary>
/// A view's <c>data</c> as Label Studio's Data Manager writes it; other keys are kept as sent. <c>ground_truth</c> is
/// ours: the grid's Ground truth filter (true, false or null for all).
/// </summary>
public sealed class ViewDataShape
{
    public string? Title { get; init; }
    public JsonObject? Filters { get; init; }
    public IReadOnlyList<string>? Ordering { get; init; }

    [JsonPropertyName("hiddenColumns")]
    public JsonObject? HiddenColumns { get; init; }

    public bool? GroundTruth { get; init; }
}

/// <summary>Label Studio's export snapshot request; of its filter options, <c>only_with_annotations</c> is the one we apply.</summary>
public sealed class ExportShape
{
    public string? Title { get; init; }
    public ExportTaskFilterShape? TaskFilterOptions { get; init; }
    public ExportAnnotationFilterShape? AnnotationFilterOptions { get; init; }
}

public sealed class ExportTaskFilterShape
{
    public bool? OnlyWithAnnotations { get; init; }
}

/// <summary>Every annotation is exported: each may be left out or true.</summary>
public sealed class ExportAnnotationFilterShape
{
    public bool? Usual { get; init; }
    public bool? GroundTruth { get; init; }
    public bool? Skipped { get; init; }
}

/// <summary>
/// An annotation PATCH: <c>ground_truth</c> sets or removes the star; any other field of the annotation may come along
/// with its current value (a script that GETs, flips the flag and sends the whole object back works).
/// </summary>
public sealed class AnnotationPatchShape
{
    public bool? GroundTruth { get; init; }
}

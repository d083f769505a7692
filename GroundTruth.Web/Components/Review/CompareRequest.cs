using System.Text.Json;

namespace GroundTruth.Web.Components.Review;

/// <summary>A card's Compare: the annotation or the prediction to draw against the ground truth.</summary>
public sealed record CompareRequest(string Name, JsonElement Result, long? AnnotationId, long? PredictionId);

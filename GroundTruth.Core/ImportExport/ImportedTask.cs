namespace GroundTruth.Core.ImportExport;

/// <summary>One task of an import file, validated, with its JSON values kept as the raw text they arrived in.</summary>
internal sealed record ImportedTask(
    long? ExternalId,
    string Data,
    string? Meta,
    DateTime? CreatedAt,
    DateTime? UpdatedAt,
    List<ImportedAnnotation> Annotations,
    List<ImportedPrediction> Predictions,
    string? Extra);

internal sealed record ImportedAnnotation(
    long? ExternalId,
    string Email,
    string DisplayName,
    string Result,
    bool WasCancelled,
    bool GroundTruth,
    DateTime? CreatedAt,
    DateTime? UpdatedAt,
    double? LeadTime,
    string? Extra)
{
    /// <summary>Set by the parser after it has kept at most one ground truth per task.</summary>
    public bool KeepsGroundTruth { get; set; }
}

internal sealed record ImportedPrediction(long? ExternalId, string ModelVersion, double? Score, string Result, DateTime? CreatedAt, string? Extra);

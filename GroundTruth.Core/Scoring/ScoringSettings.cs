using System.Text.Json;
using System.Text.Json.Serialization;

namespace GroundTruth.Core.Scoring;

public enum AgreementMethodology
{
    Pairwise,
    Consensus,
}

/// <summary>What a matched region pair earns: a full point once its overlap reaches the threshold, or its overlap itself.</summary>
public enum RegionCredit
{
    Threshold,
    Overlap,
}

/// <summary>
/// A project's scoring settings. <see cref="Threshold"/>: the overlap a region pair needs to count (inclusive).
/// <see cref="Weights"/>: per control (<c>from_name</c>), default 1; 0 leaves a control out. <see cref="NumberTolerance"/>:
/// how far apart two numbers may be and still agree. <see cref="KeypointSigma"/>: the OKS spread, in percent of the image (of its mean side, √(width × height), when its size is known).
/// <see cref="LabelWeights"/>: within a control, per label (a choice, a region's label, a taxonomy path as "A / B"),
/// default 1; 0 leaves a label out. <see cref="RegionCredit"/>: what a matched region pair counts.
/// </summary>
public sealed record ScoringSettings(
    double Threshold = 0.5,
    AgreementMethodology Methodology = AgreementMethodology.Pairwise,
    IReadOnlyDictionary<string, double>? Weights = null,
    double NumberTolerance = 0,
    double KeypointSigma = 5,
    bool GroundTruthInAgreement = true,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? LabelWeights = null,
    RegionCredit RegionCredit = RegionCredit.Threshold)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static ScoringSettings Default { get; } = new();

    /// <summary>The settings stored on a project; null or unreadable JSON means the defaults.</summary>
    public static ScoringSettings FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Default;
        }
        try
        {
            return JsonSerializer.Deserialize<ScoringSettings>(json, Json) ?? Default;
        }
        catch (JsonException)
        {
            return Default;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Refuses settings that cannot score: a threshold outside (0, 1], an unknown methodology, negative weights or
    /// tolerance, a sigma ≤ 0, a control name that is empty or longer than 200 characters.
    /// </summary>
    public void Validate()
    {
        if (!Enum.IsDefined(RegionCredit))
        {
            throw new BadInputException("region_credit must be threshold or overlap.", "region_credit");
        }
        if (!Enum.IsDefined(Methodology))
        {
            throw new BadInputException($"methodology must be one of {string.Join(", ", Enum.GetNames<AgreementMethodology>().Select(m => m.ToLowerInvariant()))}.", "methodology");
        }
        if (!(Threshold > 0 && Threshold <= 1))
        {
            throw new BadInputException("threshold must be greater than 0 and at most 1.", "threshold");
        }
        if (NumberTolerance < 0 || !double.IsFinite(NumberTolerance))
        {
            throw new BadInputException("number_tolerance must be 0 or more.", "number_tolerance");
        }
        if (!(KeypointSigma > 0) || !double.IsFinite(KeypointSigma))
        {
            throw new BadInputException("keypoint_sigma must be greater than 0.", "keypoint_sigma");
        }
        if (Weights?.Values.Any(w => w < 0 || !double.IsFinite(w)) == true)
        {
            throw new BadInputException("weights must be 0 or more.", "weights");
        }
        if (Weights?.Keys.Any(k => k.Length is 0 or > 200) == true)
        {
            throw new BadInputException("weights are keyed by a control's from_name, of 1 to 200 characters.", "weights");
        }
        if (LabelWeights is not null)
        {
            foreach (var (control, labels) in LabelWeights)
            {
                if (control.Length is 0 or > 200 || labels is null || labels.Keys.Any(l => l.Length is 0 or > 1000))
                {
                    throw new BadInputException("label_weights are keyed by a control's from_name (1 to 200 characters), then by label (1 to 1,000 characters).", "label_weights");
                }
                if (labels.Values.Any(w => w < 0 || !double.IsFinite(w)))
                {
                    throw new BadInputException($"label_weights of '{control}' must be 0 or more.", "label_weights");
                }
            }
        }
    }

    public double WeightOf(string control) => Weights is not null && Weights.TryGetValue(control, out var w) ? w : 1;

    /// <summary>The weights of a control's labels (1 for a label not named), or null when the control weighs them all alike.</summary>
    public Func<string, double>? LabelWeightsOf(string control) =>
        LabelWeights is not null && LabelWeights.TryGetValue(control, out var labels) && labels is { Count: > 0 }
            ? label => labels.TryGetValue(label, out var w) ? w : 1
            : null;
}

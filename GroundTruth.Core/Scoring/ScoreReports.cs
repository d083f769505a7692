namespace GroundTruth.Core.Scoring;

/// <summary>One row or column of a task's agreement matrix: an annotation (by its annotator) or a prediction (by its model version).</summary>
public sealed record Participant(string Kind, long Id, string Name, bool GroundTruth);

/// <summary>
/// Every participant against every other; the diagonal is 1. <see cref="GroundTruthShown"/> is false for annotators,
/// who are not told which participant is the ground truth (every <see cref="Participant.GroundTruth"/> is then false).
/// </summary>
public sealed record AgreementMatrix(IReadOnlyList<Participant> Participants, IReadOnlyList<IReadOnlyList<double>> Matrix, bool GroundTruthShown = true);

/// <summary>
/// Mean accuracy against ground truth of one annotator (or model version) over the tasks that have one, with the
/// number of tasks and a 95% Wilson interval. <see cref="MemberId"/> is the annotator's id (null for a model version),
/// which Label Studio's statistics key by.
/// </summary>
public sealed record AccuracyStat(string Member, double Accuracy, int Tasks, double CiLow, double CiHigh, long? MemberId = null);

/// <summary>Annotators against each other over a project: mean pair agreement and the tasks each pair shares.</summary>
public sealed record PairwiseAgreement(IReadOnlyList<Annotator> Annotators, IReadOnlyList<IReadOnlyList<double>> Agreement, IReadOnlyList<IReadOnlyList<int>> CommonTasks,
    double? StandardDeviation);

/// <summary>Task agreement over a project: its mean and a histogram of ten 0.1-wide buckets (the last holds 1).</summary>
public sealed record AgreementDistribution(double? Average, IReadOnlyList<int> Histogram, int LowAgreement, int Tasks, int TasksWithoutAgreement);

/// <summary>Chance-corrected agreement for one categorical control over a project.</summary>
public sealed record InterAnnotatorAgreement(
    string FromName,
    int Units,
    int Coders,
    double? PercentAgreement,
    double? GwetAc1,
    double? FleissKappa,
    IReadOnlyDictionary<string, double?> KrippendorffAlpha,
    IReadOnlyList<CohenPair> CohenKappa);

public sealed record CohenPair(string A, string B, int Items, double? Unweighted, double? Linear, double? Quadratic);

/// <summary>
/// Ground truth (rows) against annotators (columns) for one control over a project, with an "(unmatched)" row and
/// column; and per label, precision (of the annotators' uses of it) and recall (of the ground truth's).
/// </summary>
public sealed record ConfusionMatrix(
    string FromName,
    IReadOnlyList<string> Rows,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<int>> Matrix,
    IReadOnlyList<LabelQuality> PerLabel);

public sealed record LabelQuality(string Label, double? Precision, double? Recall);

/// <summary>An annotator as the statistics name them: the member's id and email.</summary>
public sealed record Annotator(long Id, string Email);

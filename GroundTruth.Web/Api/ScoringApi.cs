using System.Security.Claims;
using GroundTruth.Core;
using GroundTruth.Core.Scoring;
using GroundTruth.Web.Auth;

namespace GroundTruth.Web.Api;

/// <summary>
/// Agreement and accuracy at Label Studio's statistics paths and in its shapes (keyed by annotator id, scores 0–1),
/// with what we know beyond them as extra fields (tasks, 95% intervals); chance-corrected statistics under our own
/// <c>stats/reliability</c>; and the project's scoring settings.
/// </summary>
internal static class ScoringApi
{
    public static void MapScoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{id:long}").WithTags("Scoring").RequireAuthorization();

        api.MapGet("/tasks/{taskId:long}/agreement-matrix", async (long id, long taskId, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
            StatisticsAnswers.Matrix(await stats.AgreementMatrixAsync(user.ToActor(), id, taskId, ct)));

        api.MapGet("/stats/agreement-groundtruth", async (long id, HttpRequest request, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
        {
            var members = QueryValues.OptionalIds(request, "ids", "annotator");
            return QueryValues.Flag(request, "per_label")
                ? (object)StatisticsAnswers.PerLabel(await stats.AccuracyPerLabelAsync(user.ToActor(), id, members: members, ct: ct))
                : StatisticsAnswers.ByAnnotator(await stats.AnnotatorAccuracyAsync(user.ToActor(), id, ct, members));
        }).ProducesOneOf<ByAnnotatorAnswer, PerLabelAnswer>();

        api.MapGet("/users/{userId:long}/stats/agreement-groundtruth", async (long id, long userId, HttpRequest request, ClaimsPrincipal user, ScoreStatisticsService stats,
            CancellationToken ct) => QueryValues.Flag(request, "per_label")
                ? StatisticsAnswers.OnePerLabel("agreement", (await stats.AccuracyPerLabelAsync(user.ToActor(), id, members: [userId], ct: ct)).GetValueOrDefault(userId))
                : StatisticsAnswers.One("agreement", (await stats.AnnotatorAccuracyAsync(user.ToActor(), id, ct, [userId])).SingleOrDefault()));

        api.MapGet("/model-stats/{modelVersion}/agreement-groundtruth", async (long id, string modelVersion, HttpRequest request, ClaimsPrincipal user,
            ScoreStatisticsService stats, CancellationToken ct) =>
        {
            var version = UnicodeRepair.RepairText(modelVersion);
            return QueryValues.Flag(request, "per_label")
                ? StatisticsAnswers.OnePerLabel("agreement", (await stats.AccuracyPerLabelAsync(user.ToActor(), id, version, ct: ct)).GetValueOrDefault(0))
                : StatisticsAnswers.One("agreement", await stats.ModelAccuracyAsync(user.ToActor(), id, version, ct), nullWhenNone: true);
        });

        api.MapGet("/model-stats/{modelVersion}/prediction", async (long id, string modelVersion, HttpRequest request, ClaimsPrincipal user, ScoreStatisticsService stats,
            CancellationToken ct) =>
        {
            NoPerLabel(request);
            return StatisticsAnswers.One("average_prediction_agreement_per_model",
                await stats.ModelAgreementWithOtherModelsAsync(user.ToActor(), id, UnicodeRepair.RepairText(modelVersion), ct), nullWhenNone: true);
        });

        // No task with an agreement: Label Studio answers 204 No Content.
        api.MapGet("/stats/total_agreement", async (long id, HttpRequest request, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
            QueryValues.Flag(request, "per_label")
                ? Results.Ok(new Dictionary<string, object> { ["total_agreement"] = await stats.TotalAgreementPerLabelAsync(user.ToActor(), id, ct) })
                : await stats.AgreementDistributionAsync(user.ToActor(), id, ct) is { Average: { } average } distribution
                    ? Results.Ok(new Dictionary<string, object> { ["total_agreement"] = average, ["tasks"] = distribution.Tasks })
                    : Results.NoContent())
            .Produces<Dictionary<string, object>>().Produces(StatusCodes.Status204NoContent);

        api.MapGet("/stats/agreement_annotators", async (long id, HttpRequest request, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
            StatisticsAnswers.ByAnnotator(
                await stats.AnnotatorAgreementAsync(user.ToActor(), id, QueryValues.OptionalIds(request, "ids", "annotator"), ct)));

        api.MapGet("/stats/agreement_annotator/{userId:long}", async (long id, long userId, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
            StatisticsAnswers.One("Agreement_per_annotator", (await stats.AnnotatorAgreementAsync(user.ToActor(), id, [userId], ct)).SingleOrDefault()));

        // Label Studio's inter-annotator matrix: mean pair agreement and shared tasks per pair of annotators.
        api.MapGet("/stats/IAA", async (long id, HttpRequest request, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
        {
            NoPerLabel(request);
            var matrix = await stats.PairwiseAgreementAsync(user.ToActor(), id, QueryValues.OptionalIds(request, "task", "task"), ct);
            return StatisticsAnswers.Pairwise(matrix, QueryValues.Flag(request, "std"));
        });

        // Ours: chance-corrected agreement on one categorical control (κ, α, AC1), which Label Studio does not report.
        api.MapGet("/stats/reliability", async (long id, string? from_name, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(from_name))
            {
                throw new BadInputException("The from_name query parameter is required: the control to measure.", "from_name");
            }
            return await stats.InterAnnotatorAgreementAsync(user.ToActor(), id, from_name, ct) ?? new InterAnnotatorAgreement(from_name, 0, 0, null, null, null, new Dictionary<string, double?>(), []);
        });

        var quality = api.MapGroup("/analytics/data-quality/agreement-analysis");
        quality.MapGet("/confusion-matrix", async (long id, string? from_name, string? mode, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
        {
            var groundTruthRows = mode switch
            {
                null or "" or "all" => false,
                "ground_truth" => true,
                _ => throw new BadInputException($"mode must be 'all' or 'ground_truth', not '{mode}' (there is no accepted state here).", "mode"),
            };
            return StatisticsAnswers.Confusion(await stats.ConfusionMatrixAsync(user.ToActor(), id, from_name, ct, groundTruthRows));
        });
        quality.MapGet("/distribution", async (long id, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
            StatisticsAnswers.Distribution(await stats.AgreementDistributionAsync(user.ToActor(), id, ct)));

        api.MapGet("/scoring-settings", async (long id, ClaimsPrincipal user, ScoringSettingsService settings, CancellationToken ct) =>
        {
            var (current, progress) = await settings.GetAsync(user.ToActor(), id, ct);
            return new { Settings = current, Recompute = progress };
        });

        api.MapPut("/scoring-settings", async (long id, ScoringSettings body, ClaimsPrincipal user, ScoringSettingsService settings, CancellationToken ct) =>
            new { Settings = body, Recompute = await settings.UpdateAsync(user.ToActor(), id, body, ct) });
    }

    /// <summary>Where per-label figures are not computed, asking for them is a 400 rather than a silent overall figure.</summary>
    private static void NoPerLabel(HttpRequest request)
    {
        if (QueryValues.Flag(request, "per_label"))
        {
            throw new BadInputException("per_label is served on stats/agreement-groundtruth, users/{id}/stats/agreement-groundtruth, "
                + "model-stats/{version}/agreement-groundtruth and stats/total_agreement.", "per_label");
        }
    }
}

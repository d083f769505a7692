using System.Security.Claims;
using GroundTruth.Core;
using GroundTruth.Core.Scoring;
using GroundTruth.Web.Auth;

namespace GroundTruth.Web.Api;

/// <summary>Agreement, accuracy against ground truth, chance-corrected statistics and the project's scoring settings.</summary>
internal static class ScoringApi
{
    public static void MapScoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{id:long}").WithTags("Scoring").RequireAuthorization();

        api.MapGet("/tasks/{taskId:long}/agreement-matrix", (long id, long taskId, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
            stats.AgreementMatrixAsync(user.ToActor(), id, taskId, ct));

        api.MapGet("/stats/agreement-groundtruth", (long id, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
            stats.AnnotatorAccuracyAsync(user.ToActor(), id, ct));

        api.MapGet("/model-stats/{modelVersion}/agreement-groundtruth", async (long id, string modelVersion, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
            (object?)await stats.ModelAccuracyAsync(user.ToActor(), id, UnicodeRepair.RepairText(modelVersion), ct)
                ?? new { Member = modelVersion, Accuracy = (double?)null, Tasks = 0, CiLow = (double?)null, CiHigh = (double?)null });

        api.MapGet("/stats/iaa", async (long id, string? from_name, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(from_name))
            {
                throw new BadInputException("The from_name query parameter is required: the control to measure.", "from_name");
            }
            return (object?)await stats.InterAnnotatorAgreementAsync(user.ToActor(), id, from_name, ct) ?? new { FromName = from_name, Units = 0, Coders = 0 };
        });

        api.MapGet("/stats/confusion-matrix", (long id, string? from_name, ClaimsPrincipal user, ScoreStatisticsService stats, CancellationToken ct) =>
            string.IsNullOrWhiteSpace(from_name)
                ? throw new BadInputException("The from_name query parameter is required: the control to tabulate.", "from_name")
                : stats.ConfusionMatrixAsync(user.ToActor(), id, from_name, ct));

        api.MapGet("/scoring-settings", async (long id, ClaimsPrincipal user, ScoringSettingsService settings, CancellationToken ct) =>
        {
            var (current, progress) = await settings.GetAsync(user.ToActor(), id, ct);
            return new { Settings = current, Recompute = progress };
        });

        api.MapPut("/scoring-settings", async (long id, ScoringSettings body, ClaimsPrincipal user, ScoringSettingsService settings, CancellationToken ct) =>
            new { Settings = body, Recompute = await settings.UpdateAsync(user.ToActor(), id, body, ct) });
    }
}

using GroundTruth.Core.Data;

namespace GroundTruth.Web.Startup;

/// <summary><c>/health</c>: 200 when this node's database answers, 503 with the reason when not (nginx or a balancer polls it).</summary>
internal static class Health
{
    public static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", async (DatabaseHealth database, HttpContext context, CancellationToken ct) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return await database.ProblemAsync(ct) is { } problem
                ? Results.Json(new { Status = "unavailable", Database = problem }, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Ok(new { Status = "ok", Database = "ok" });
        }).ExcludeFromDescription();
}

using System.Text.Json;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Tasks;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace GroundTruth.Web.Api;

/// <summary>
/// Turns Core's typed errors into RFC 7807 problem details: 400 for bad input, 404 for unknown ids, 409 for conflicts.
/// Anything else is a 500 that says nothing about the code (the exception goes to the log, not to the client).
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            NotFoundException e => Problem(StatusCodes.Status404NotFound, "Not found", e.Message),
            ImportException e => WithExtensions(Problem(StatusCodes.Status400BadRequest, "Invalid import", e.Detail), ("item", e.Item), ("path", e.Path)),
            TaskQueryException e => Problem(StatusCodes.Status400BadRequest, "Invalid query", e.Message),
            ForbiddenException e => Problem(StatusCodes.Status403Forbidden, "Forbidden", e.Message),
            ConflictException e => Problem(StatusCodes.Status409Conflict, "Conflict", e.Message),
            ArgumentException e => Problem(StatusCodes.Status400BadRequest, "Invalid request", e.Message),
            BadHttpRequestException e => Problem(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Bad request",
                e.InnerException is JsonException json ? "The body is not valid JSON: " + json.Message : e.Message),
            JsonException e => Problem(StatusCodes.Status400BadRequest, "Bad request", "The body is not valid JSON: " + e.Message),
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Path}", context.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "Server error", "An unexpected error occurred. It has been logged.");
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = null });
    }

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    private static ProblemDetails WithExtensions(ProblemDetails problem, params (string Key, object Value)[] extensions)
    {
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }
        return problem;
    }
}

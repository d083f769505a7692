using System.Text.Json;
using GroundTruth.Core;
using GroundTruth.Core.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace GroundTruth.Web.Api;

/// <summary>
/// Turns the errors users are meant to see (<see cref="UserFacingException"/>, and requests ASP.NET Core could not read)
/// into RFC 7807 problem details, with one status per <see cref="ErrorKind"/>. Anything else is a 500 that says nothing
/// about the code (the exception goes to the log, not to the client).
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    private static readonly Dictionary<ErrorKind, (int Status, string Title)> Statuses = new()
    {
        [ErrorKind.BadInput] = (StatusCodes.Status400BadRequest, "Bad request"),
        [ErrorKind.NotFound] = (StatusCodes.Status404NotFound, "Not found"),
        [ErrorKind.Forbidden] = (StatusCodes.Status403Forbidden, "Forbidden"),
        [ErrorKind.Conflict] = (StatusCodes.Status409Conflict, "Conflict"),
        [ErrorKind.Busy] = (StatusCodes.Status503ServiceUnavailable, "Database busy"),
        [ErrorKind.StorageFull] = (StatusCodes.Status507InsufficientStorage, "Storage full"),
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (UserFacingException.From(exception) is { } error)
        {
            var (status, title) = Statuses[error.Kind];
            problem = new ProblemDetails { Status = status, Title = title, Detail = error.Message };
            foreach (var (key, value) in error.Details)
            {
                problem.Extensions[key] = value;
            }
            if (error.Kind == ErrorKind.Busy)
            {
                context.Response.Headers.RetryAfter = DatabaseBusyException.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        else if (exception is BadHttpRequestException bad)
        {
            problem = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Bad request",
                Detail = bad.InnerException is JsonException json ? "The body is not valid JSON: " + json.Message : bad.Message,
            };
        }
        else if (exception is JsonException json)
        {
            problem = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Bad request", Detail = "The body is not valid JSON: " + json.Message };
        }
        else
        {
            logger.LogError(exception, "Unhandled error on {Path}", context.Request.Path);
            problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Server error", Detail = "An unexpected error occurred. It has been logged." };
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = null });
    }
}

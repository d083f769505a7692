using GroundTruth.Core;
using MudBlazor;

namespace GroundTruth.Web.Components;

/// <summary>
/// The one place pages handle errors. Event handlers run their work through <see cref="RunAsync"/>: an error Core means
/// users to see (<see cref="UserFacingException"/>, a busy or full database included) becomes a snackbar with its
/// message; anything else is logged and reported as such. Either way the circuit lives on, so no click, key or Undo
/// a user makes can end it.
/// </summary>
public sealed class PageErrors(ISnackbar snackbar, ILogger<PageErrors> logger)
{
    public const string Unexpected = "Something went wrong; it has been logged. Reload the page to continue.";

    /// <summary>Runs <paramref name="work"/>; returns false, having told the user, when it failed.</summary>
    public async Task<bool> RunAsync(Func<Task> work)
    {
        try
        {
            await work();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false; // the page went away or a newer request replaced this one
        }
        catch (Exception e)
        {
            Show(e);
            return false;
        }
    }

    /// <summary>Runs <paramref name="work"/> and returns its value, or default (having told the user) when it failed.</summary>
    public async Task<T?> RunAsync<T>(Func<Task<T>> work)
    {
        T? result = default;
        await RunAsync(async () => { result = await work(); });
        return result;
    }

    /// <summary>Tells the user about <paramref name="exception"/> in a snackbar.</summary>
    public void Show(Exception exception) =>
        snackbar.Add(Describe(exception), UserFacingException.From(exception)?.Kind is ErrorKind.Busy ? Severity.Warning : Severity.Error);

    /// <summary>What to tell the user about <paramref name="exception"/>: its own message if it is meant for them; if not, a generic one (and the log).</summary>
    public string Describe(Exception exception)
    {
        if (UserFacingException.From(exception) is { } error)
        {
            return error.Message;
        }
        logger.LogError(exception, "Unexpected error on a page");
        return Unexpected;
    }
}

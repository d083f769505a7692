namespace GroundTruth.Core;

/// <summary>What kind of thing went wrong, in the terms a user acts on. The API maps each kind to one HTTP status.</summary>
public enum ErrorKind
{
    /// <summary>The request names something that cannot be used (400).</summary>
    BadInput,

    /// <summary>The thing does not exist, or not for this user (404).</summary>
    NotFound,

    /// <summary>The user's role does not allow it (403).</summary>
    Forbidden,

    /// <summary>Well formed, but the current state forbids it (409).</summary>
    Conflict,

    /// <summary>The database is busy with other writes; the same request can be sent again shortly (503).</summary>
    Busy,

    /// <summary>The disk holding the database is full; nothing was written (507).</summary>
    StorageFull,
}

/// <summary>
/// The one base type for errors Core means users to see: its message says what happened and, where it helps, what to
/// do. The API turns it into a problem (status by <see cref="Kind"/>, <see cref="Details"/> as extra fields); pages
/// show its message. Any other exception is a bug: logged, and shown to nobody.
/// </summary>
public abstract class UserFacingException(ErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;

    /// <summary>Fields that locate the problem (an import's item and path, a request's field), for API clients.</summary>
    public virtual IReadOnlyDictionary<string, object> Details => new Dictionary<string, object>();

    /// <summary>
    /// The error a user should see for <paramref name="exception"/>: itself, or the storage fault it wraps (a busy or
    /// full database) translated; null when it is a bug.
    /// </summary>
    public static UserFacingException? From(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is UserFacingException known)
            {
                return known;
            }
            if (GroundTruth.Core.Data.StorageFaults.Translate(e) is { } fault)
            {
                return fault;
            }
        }
        return exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? From(aggregate.InnerExceptions[0]) : null;
    }
}

/// <summary>A request with a value that cannot be used; <see cref="Field"/> names it when one field is to blame.</summary>
public class BadInputException(string message, string? field = null) : UserFacingException(ErrorKind.BadInput, message)
{
    public string? Field { get; } = field;

    public override IReadOnlyDictionary<string, object> Details =>
        Field is null ? new Dictionary<string, object>() : new Dictionary<string, object> { ["field"] = Field };
}

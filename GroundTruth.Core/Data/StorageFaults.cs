using Microsoft.Data.Sqlite;

namespace GroundTruth.Core.Data;

/// <summary>The database is busy with other writes and this one waited its whole busy timeout. The API answers 503 with Retry-After.</summary>
public sealed class DatabaseBusyException(Exception inner)
    : UserFacingException(ErrorKind.Busy, "The database is busy with other changes (a long import or bulk action); nothing was changed. Try again in a few seconds.", inner)
{
    /// <summary>How long a client should wait before sending the same request again.</summary>
    public const int RetryAfterSeconds = 5;
}

/// <summary>The disk holding the database is full; the transaction was rolled back. The API answers 507.</summary>
public sealed class StorageFullException(Exception inner)
    : UserFacingException(ErrorKind.StorageFull, "The server's storage is full, so nothing was saved. Ask an administrator to free disk space.", inner);

/// <summary>
/// The provider's errors that mean "busy", "disk full" or "your regex filter ran over its budget", as the errors users
/// see. The one place that knows their codes.
/// </summary>
public static class StorageFaults
{
    // https://www.sqlite.org/rescode.html: the primary code is the low byte of an extended one.
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteFull = 13;

    public static UserFacingException? Translate(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: var code } when (code & 0xFF) is SqliteBusy or SqliteLocked => new DatabaseBusyException(exception),
        SqliteException { SqliteErrorCode: var code } when (code & 0xFF) is SqliteFull => new StorageFullException(exception),
        // A user function's exception reaches the caller as SQLite's error text: "SQLite Error 1: '<message>'."
        SqliteException e when e.Message.IndexOf(Tasks.RegexFilter.OverBudget, StringComparison.Ordinal) is >= 0 and var at =>
            new Tasks.TaskQueryException(e.Message[at..].TrimEnd('.', '\'')),
        _ => null,
    };
}

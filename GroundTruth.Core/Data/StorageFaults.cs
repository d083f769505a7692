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
    private const int SqlitePermission = 3, SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoError = 10, SqliteCorrupt = 11,
        SqliteFull = 13, SqliteCannotOpen = 14, SqliteNotADatabase = 26;

    public static UserFacingException? Translate(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: var code } when (code & 0xFF) is SqliteBusy or SqliteLocked => new DatabaseBusyException(exception),
        SqliteException { SqliteErrorCode: var code } when (code & 0xFF) is SqliteFull => new StorageFullException(exception),
        // A user function's exception reaches the caller as SQLite's error text: "SQLite Error 1: '<message>'."
        SqliteException e when e.Message.IndexOf(Tasks.RegexFilter.OverBudget, StringComparison.Ordinal) is >= 0 and var at =>
            new Tasks.TaskQueryException(e.Message[at..].TrimEnd('.', '\'')),
        _ => null,
    };

    /// <summary>
    /// What is wrong with the database's storage, in words for whoever runs the app — "is read-only", "is not a SQLite
    /// database" — or null when <paramref name="exception"/> is not a storage fault (a bug, which keeps its stack trace).
    /// </summary>
    public static string? Describe(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: var code } e => (code & 0xFF) switch
        {
            SqliteReadOnly => $"is read-only ({e.Message.TrimEnd('.')}); give the app write access to the file and its folder",
            SqliteCannotOpen or SqlitePermission => $"cannot be opened ({e.Message.TrimEnd('.')}); check that its folder exists and the app may write there",
            SqliteNotADatabase or SqliteCorrupt => $"is not a usable SQLite database ({e.Message.TrimEnd('.')})",
            SqliteFull => $"cannot grow: the disk is full ({e.Message.TrimEnd('.')})",
            SqliteIoError => $"could not be read or written ({e.Message.TrimEnd('.')})",
            _ => null,
        },
        UnauthorizedAccessException or IOException => $"cannot be created or opened ({exception.Message})",
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => null,
    };
}

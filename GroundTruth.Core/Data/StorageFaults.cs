using Microsoft.Data.Sqlite;
using Npgsql;

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
/// The providers' errors that mean "busy", "disk full" or "your regex filter cannot run", as the errors users see; and,
/// at start-up, what is wrong with the storage. The one place that knows SQLite's and PostgreSQL's codes.
/// </summary>
public static class StorageFaults
{
    // https://www.sqlite.org/rescode.html: the primary code is the low byte of an extended one.
    private const int SqlitePermission = 3, SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoError = 10, SqliteCorrupt = 11,
        SqliteFull = 13, SqliteCannotOpen = 14, SqliteNotADatabase = 26;

    // https://www.postgresql.org/docs/current/errcodes-appendix.html
    private static readonly HashSet<string> PostgresBusy =
    [
        PostgresErrorCodes.SerializationFailure, PostgresErrorCodes.DeadlockDetected, PostgresErrorCodes.LockNotAvailable,
        PostgresErrorCodes.QueryCanceled, PostgresErrorCodes.TooManyConnections, PostgresErrorCodes.CannotConnectNow,
    ];

    public static UserFacingException? Translate(Exception exception) => exception switch
    {
        PostgresException { SqlState: var state } when PostgresBusy.Contains(state) => new DatabaseBusyException(exception),
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } => new StorageFullException(exception),
        // NUL or text PostgreSQL cannot hold, in a value no repair reached (a URL's path, say): the request's fault.
        PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } =>
            new BadInputException("The request holds a NUL character or text that is not valid Unicode, which cannot be stored or searched for."),
        PostgresException { SqlState: PostgresErrorCodes.InvalidRegularExpression } e =>
            new Tasks.TaskQueryException($"PostgreSQL cannot run this regular expression: {e.MessageText}. Write it without constructs particular to .NET."),
        // The server cannot be reached or the pool is exhausted: worth trying again, as with a busy SQLite file.
        NpgsqlException { IsTransient: true } and not PostgresException => new DatabaseBusyException(exception),
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
        PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } e =>
            $"refuses the credentials in ConnectionStrings:GroundTruth ({e.MessageText})",
        PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } e => $"does not let the app's user create or change tables ({e.MessageText})",
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } e => $"cannot grow: the disk is full ({e.MessageText})",
        NpgsqlException { IsTransient: true } e and not PostgresException => $"cannot be reached ({e.Message.TrimEnd('.')}); check the host, port and that the server runs",
        UnauthorizedAccessException or IOException => $"cannot be created or opened ({exception.Message})",
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => null,
    };
}

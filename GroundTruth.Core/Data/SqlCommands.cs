using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GroundTruth.Core.Data;

/// <summary>
/// Raw commands on a context's own connection and transaction, for the set-based and streaming paths where EF's
/// change tracker would cost more than it gives. Values are always parameters.
/// </summary>
internal static class SqlCommands
{
    public static async Task<DbConnection> OpenConnectionAsync(this GroundTruthDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return db.Database.GetDbConnection();
    }

    public static DbCommand Command(this GroundTruthDbContext db, string sql, IEnumerable<KeyValuePair<string, object?>>? parameters = null)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (parameters is not null)
        {
            foreach (var (name, value) in parameters)
            {
                command.AddParameter(name, value);
            }
        }
        return command;
    }

    /// <summary>A prepared statement with the named parameters, for running once per row.</summary>
    public static DbCommand Prepare(this GroundTruthDbContext db, string sql, params string[] names)
    {
        var command = db.Command(sql);
        foreach (var name in names)
        {
            command.AddParameter(name, null);
        }
        command.Prepare();
        return command;
    }

    public static void Set(this DbCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;

    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static async Task<long> ScalarLongAsync(this DbCommand command, CancellationToken ct) =>
        Convert.ToInt64(await command.ExecuteScalarAsync(ct) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    public static DateTime GetUtcDateTime(this DbDataReader reader, int ordinal) =>
        DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    public static long? GetNullableInt64(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>A COUNT: SQLite reads it as an integer, PostgreSQL as a bigint.</summary>
    public static int GetCount(this DbDataReader reader, int ordinal) => checked((int)reader.GetInt64(ordinal));

    public static double? GetNullableDouble(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static DateTime? GetNullableUtcDateTime(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetUtcDateTime(ordinal);

    /// <summary>Each result column's position by its name, so a row is read by the names the SQL gave its columns.</summary>
    public static Dictionary<string, int> Ordinals(this DbDataReader reader) =>
        Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => i, StringComparer.Ordinal);
}

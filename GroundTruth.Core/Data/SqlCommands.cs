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

    /// <summary>
    /// Writes <paramref name="rows"/> (values in the order of <paramref name="columns"/>) with multi-row INSERTs of about
    /// <paramref name="parametersPerStatement"/> parameters each.
    /// </summary>
    public static async Task InsertValuesAsync(this GroundTruthDbContext db, string table, string[] columns, IReadOnlyList<object?[]> rows, int parametersPerStatement,
        CancellationToken ct)
    {
        var perStatement = Math.Max(1, parametersPerStatement / columns.Length);
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);
                // Every statement but the last has the same shape: it is prepared once and run again with new values.
                var insert = count == perStatement ? full ??= PrepareInsert(db, table, columns, count) : PrepareInsert(db, table, columns, count);
                for (var r = 0; r < count; r++)
                {
                    for (var c = 0; c < columns.Length; c++)
                    {
                        insert.Parameters[r * columns.Length + c].Value = rows[start + r][c] ?? DBNull.Value;
                    }
                }
                await insert.ExecuteNonQueryAsync(ct);
                if (insert != full)
                {
                    await insert.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static DbCommand PrepareInsert(GroundTruthDbContext db, string table, string[] columns, int rows)
    {
        var sql = new System.Text.StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
        var names = new List<string>(rows * columns.Length);
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = "@p" + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                names.Add(name);
                sql.Append(c == 0 ? "" : ", ").Append(name);
            }
            sql.Append(')');
        }
        return db.Prepare(sql.ToString(), [.. names]);
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

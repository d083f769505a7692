using System.Data.Common;
using System.Text;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Core;

/// <summary>
/// What the database guarantees is checked in as one readable file per provider —
/// <c>GroundTruth.Core/Data/Sqlite/schema.sql</c> and <c>GroundTruth.Core/Data/Postgres/schema.sql</c> — and a freshly
/// migrated database must equal it: a migration that changes a table, an index, a constraint or a trigger fails here
/// until the file shows the change too. Each provider's run checks its own file.
/// </summary>
public sealed class SchemaFileTests
{
    private const string RewriteVariable = "GROUNDTRUTH_WRITE_SCHEMA";

    [Fact]
    public async Task A_freshly_migrated_database_equals_the_checked_in_schema_file()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        string live;
        try
        {
            await using var connection = await database.Store.OpenAsync();
            live = TestStore.IsPostgres ? await PostgresSchemaAsync(connection) : await SqliteSchemaAsync(connection);
        }
        finally
        {
            await database.DisposeAsync();
        }

        var path = SchemaFilePath();
        var expected = Header() + live;
        if (Environment.GetEnvironmentVariable(RewriteVariable) == "1")
        {
            await File.WriteAllTextAsync(path, expected);
        }
        var file = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : "";
        Assert.True(file == expected,
            $"{path} differs from a freshly migrated {TestStore.Provider} database. If the migration is meant, rewrite it " +
            $"({RewriteVariable}=1 GROUNDTRUTH_TEST_PROVIDER={TestStore.Provider} dotnet test --filter {nameof(SchemaFileTests)}) " +
            $"and read the difference in review. First difference at line {FirstDifferentLine(file, expected)}.");
    }

    [Fact]
    public async Task The_schema_file_names_the_guarantees_a_reviewer_looks_for()
    {
        var schema = await File.ReadAllTextAsync(SchemaFilePath());

        // One ground truth per task, a cancelled annotation never the ground truth, and the triggers that keep counts.
        Assert.Contains("ux_annotations_one_ground_truth_per_task", schema, StringComparison.Ordinal);
        Assert.Contains("ck_annotations_cancelled_not_ground_truth", schema, StringComparison.Ordinal);
        Assert.Contains("CREATE TRIGGER", schema, StringComparison.OrdinalIgnoreCase);
    }

    [OnlyOn(GroundTruth.Core.Data.DatabaseProvider.Sqlite, "PostgreSQL chooses among indexes by its statistics; SQLite, which has none here, takes the one created last")]
    public async Task A_scan_of_a_projects_tasks_walks_them_in_id_order()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        try
        {
            await using var connection = await database.Store.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN SELECT t.id, t.data FROM tasks t WHERE t.project_id = 1";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            // Any other (project, column, id) index visits the tasks, and then their annotations, in that column's order.
            Assert.Contains("IX_tasks_project_id_id ", reader.GetString(3), StringComparison.Ordinal);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static string Header() =>
        $"""
        -- The schema of a freshly migrated {TestStore.Provider} database: tables, indexes, constraints and triggers.
        -- Generated from the live database and held to the migrations by SchemaFileTests; rewrite it with
        -- {RewriteVariable}=1 GROUNDTRUTH_TEST_PROVIDER={TestStore.Provider} dotnet test --filter SchemaFileTests


        """;

    private static string SchemaFilePath()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GroundTruth.sln")))
        {
            folder = folder.Parent;
        }
        Assert.NotNull(folder);
        return Path.Combine(folder.FullName, "GroundTruth.Core", "Data", TestStore.IsPostgres ? "Postgres" : "Sqlite", "schema.sql");
    }

    /// <summary>SQLite keeps each object's CREATE statement as written (EF's own __EF tables left out): table by table, then its indexes and triggers.</summary>
    private static async Task<string> SqliteSchemaAsync(DbConnection connection)
    {
        var rows = await ReadAsync(connection, """
            SELECT tbl_name, sql FROM sqlite_master
            WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND substr(tbl_name, 1, 4) <> '__EF'
            ORDER BY tbl_name, CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name
            """);
        var text = new StringBuilder();
        foreach (var group in rows.GroupBy(r => r[0]))
        {
            foreach (var row in group)
            {
                text.Append(row[1].ReplaceLineEndings("\n").Trim()).Append(";\n");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>PostgreSQL's catalog, printed as SQL: columns, constraints, indexes, then the trigger functions and triggers.</summary>
    private static async Task<string> PostgresSchemaAsync(DbConnection connection)
    {
        const string userTables = "n.nspname = 'public' AND left(c.relname, 4) <> '__EF'";
        var columns = await ReadAsync(connection, $"""
            SELECT c.relname, a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                || CASE a.attidentity WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY' ELSE '' END
                || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE {userTables} AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY c.relname, a.attnum
            """);
        var constraints = await ReadAsync(connection, $"""
            SELECT c.relname, 'CONSTRAINT ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {userTables}
            ORDER BY c.relname, CASE k.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'c' THEN 2 ELSE 3 END, k.conname
            """);
        var indexes = await ReadAsync(connection, """
            SELECT i.tablename, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND left(i.tablename, 4) <> '__EF'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname AND k.contype IN ('p', 'u', 'x'))
            ORDER BY i.tablename, i.indexname
            """);
        var triggers = await ReadAsync(connection, $"""
            SELECT c.relname, pg_get_triggerdef(t.oid)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {userTables} AND NOT t.tgisinternal
            ORDER BY c.relname, t.tgname
            """);
        var functions = await ReadAsync(connection, """
            SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace ORDER BY p.proname
            """);

        var text = new StringBuilder();
        foreach (var table in columns.GroupBy(c => c[0]))
        {
            var lines = table.Select(c => c[1]).Concat(constraints.Where(k => k[0] == table.Key).Select(k => k[1]));
            text.Append($"CREATE TABLE {table.Key} (\n    ").AppendJoin(",\n    ", lines).Append("\n);\n");
            foreach (var index in indexes.Where(i => i[0] == table.Key))
            {
                text.Append(index[1]).Append(";\n");
            }
            foreach (var trigger in triggers.Where(t => t[0] == table.Key))
            {
                text.Append(trigger[1]).Append(";\n");
            }
            text.Append('\n');
        }
        foreach (var function in functions)
        {
            text.Append(function[1].ReplaceLineEndings("\n").Trim()).Append(";\n\n");
        }
        return text.ToString();
    }

    private static async Task<List<string[]>> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray());
        }
        return rows;
    }

    private static int FirstDifferentLine(string actual, string expected)
    {
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        var line = 0;
        while (line < a.Length && line < e.Length && a[line] == e[line])
        {
            line++;
        }
        return line + 1;
    }
}

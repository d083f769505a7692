using System.Data.Common;
using GroundTruth.Core;
using GroundTruth.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GroundTruth.Tests.Support;

/// <summary>
/// A database of its own for one test class, on the provider the run is for: <c>GROUNDTRUTH_TEST_PROVIDER</c> =
/// <c>Sqlite</c> (the default: a fresh file under the temp folder) or <c>Postgres</c> (a database cloned from a template
/// migrated once per run, on the server <c>GROUNDTRUTH_TEST_POSTGRES</c> names, e.g.
/// <c>Host=127.0.0.1;Port=55432;Username=postgres</c>). Dropped or deleted on dispose.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;

    private TestStore(DatabaseOptions options, string? folder, string? database)
    {
        Options = options;
        _folder = folder;
        _database = database;
    }

    private readonly string? _folder;
    private readonly string? _database;

    public static DatabaseProvider Provider { get; } =
        Enum.TryParse<DatabaseProvider>(Environment.GetEnvironmentVariable("GROUNDTRUTH_TEST_PROVIDER"), ignoreCase: true, out var p) ? p : DatabaseProvider.Sqlite;

    public static bool IsPostgres => Provider == DatabaseProvider.Postgres;

    public DatabaseOptions Options { get; }

    public string ConnectionString => Options.ConnectionString;

    /// <summary>On SQLite, the database file.</summary>
    public string FilePath => _folder is null ? throw new InvalidOperationException("Not a SQLite store.") : Path.Combine(_folder, "test.db");

    /// <param name="sqliteOptions">More of the SQLite connection string (e.g. <c>Default Timeout=1</c>).</param>
    /// <param name="postgresOptions">More of the PostgreSQL connection string (e.g. <c>Options=-c lock_timeout=1000</c>).</param>
    public static async Task<TestStore> CreateAsync(string sqliteOptions = "", string postgresOptions = "")
    {
        if (!IsPostgres)
        {
            var folder = Path.Combine(Path.GetTempPath(), "groundtruth-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return new TestStore(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "test.db")};Pooling=False;{sqliteOptions}"), folder, null);
        }
        var template = await TemplateAsync();
        var name = "gt_test_" + Guid.NewGuid().ToString("N");
        await AdminAsync($"CREATE DATABASE {name} TEMPLATE {template}");
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        return new TestStore(new DatabaseOptions(DatabaseProvider.Postgres, $"{builder.ConnectionString};{postgresOptions}".TrimEnd(';')), null, name);
    }

    /// <summary>A plain connection to the store, outside the app, for what a test does behind the services' back.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow machine is left in the temp folder; it does not affect other tests.
            }
        }
    }

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("GROUNDTRUTH_TEST_POSTGRES") is { Length: > 0 } server ? server
            : throw new InvalidOperationException("GROUNDTRUTH_TEST_PROVIDER=Postgres needs GROUNDTRUTH_TEST_POSTGRES, e.g. Host=127.0.0.1;Port=55432;Username=postgres.");

    /// <summary>The migrated template every test database is cloned from: made once per run (PostgreSQL copies it in milliseconds).</summary>
    private static async Task<string> TemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (_template is not null)
            {
                return _template;
            }
            var name = $"gt_template_{Environment.ProcessId}";
            await AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = false };
            await using (var services = new ServiceCollection().AddLogging().AddGroundTruthCore(new DatabaseOptions(DatabaseProvider.Postgres, builder.ConnectionString)).BuildServiceProvider())
            {
                await DatabaseInitializer.InitializeAsync(services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>());
            }
            NpgsqlConnection.ClearAllPools();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)").GetAwaiter().GetResult();
            return _template = name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task AdminAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

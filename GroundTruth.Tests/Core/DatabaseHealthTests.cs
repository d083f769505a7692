using GroundTruth.Core;
using GroundTruth.Core.Data;
using GroundTruth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Core;

/// <summary>What <c>/health</c> reports: the suite's own database answers; a broken file or an absent server does not.</summary>
public sealed class DatabaseHealthTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    private static async Task<string?> ProblemOfAsync(DatabaseOptions options)
    {
        await using var services = new ServiceCollection().AddLogging().AddGroundTruthCore(options).BuildServiceProvider();
        return await services.GetRequiredService<DatabaseHealth>().ProblemAsync(default);
    }

    [Fact]
    public async Task A_migrated_database_is_healthy()
    {
        Assert.Null(await _db.Services.GetRequiredService<DatabaseHealth>().ProblemAsync(default));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_reported_as_such()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gt-health-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));
        try
        {
            var problem = await ProblemOfAsync(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=False"));
            Assert.StartsWith("The database is not a usable SQLite database", problem, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_postgresql_server_that_is_not_running_is_reported_unreachable()
    {
        // Port 1 on this machine: nothing listens, so the connection is refused at once.
        var problem = await ProblemOfAsync(new DatabaseOptions(DatabaseProvider.Postgres, "Host=127.0.0.1;Port=1;Username=nobody;Timeout=3"));
        Assert.StartsWith("The database cannot be reached", problem, StringComparison.Ordinal);
    }
}

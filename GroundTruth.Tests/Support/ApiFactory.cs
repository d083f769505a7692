using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace GroundTruth.Tests.Support;

/// <summary>The real web app on a fresh SQLite file, without demo data.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "groundtruth-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseSetting("ConnectionStrings:GroundTruth", $"Data Source={Path.Combine(_folder, "api.db")};Pooling=False");
        builder.UseSetting("GroundTruth:SeedDemoData", "false");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // left in the temp folder; harmless
        }
    }
}

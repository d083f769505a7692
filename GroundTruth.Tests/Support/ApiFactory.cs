using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace GroundTruth.Tests.Support;

/// <summary>The real web app on a fresh SQLite file, without demo data, with a first-run administrator and token.</summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin-password-1";
    public const string AdminToken = "gt_test_admin_token_0123456789abcdef";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "groundtruth-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseSetting("ConnectionStrings:GroundTruth", $"Data Source={Path.Combine(_folder, "api.db")};Pooling=False");
        builder.UseSetting("GroundTruth:SeedDemoData", "false");
        builder.UseSetting("GroundTruth:Admin:Email", AdminEmail);
        builder.UseSetting("GroundTruth:Admin:Password", AdminPassword);
        builder.UseSetting("GroundTruth:Admin:Token", AdminToken);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that sends the administrator's token.</summary>
    public HttpClient AdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", AdminToken);
        return client;
    }

    public string DatabasePath => Path.Combine(_folder, "api.db");

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

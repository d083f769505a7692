using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Support;

/// <summary>The real web app on a fresh SQLite file, without demo data, with a first-run administrator and token.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string>? _settings;
    private readonly string _connectionOptions;

    /// <param name="settings">Configuration on top of the test defaults.</param>
    /// <param name="kestrel">Serve on a real socket (127.0.0.1, a free port) for the browser tests.</param>
    /// <param name="connectionOptions">More of the SQLite connection string, e.g. <c>Default Timeout=1</c>.</param>
    /// <param name="folder">Where the database goes (a folder of its own under the temp folder unless given; deleted on dispose only then).</param>
    /// <param name="databaseName">The database file's name in <paramref name="folder"/>.</param>
    public ApiFactory(IReadOnlyDictionary<string, string>? settings = null, bool kestrel = false, string connectionOptions = "", string? folder = null,
        string databaseName = "api.db")
    {
        _settings = settings;
        _connectionOptions = connectionOptions;
        _ownsFolder = folder is null;
        _folder = folder ?? Path.Combine(Path.GetTempPath(), "groundtruth-tests", Guid.NewGuid().ToString("N"));
        _databaseName = databaseName;
        if (kestrel)
        {
            UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        }
    }

    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin-password-1";
    public const string AdminToken = "gt_test_admin_token_0123456789abcdef";

    private readonly string _folder;
    private readonly bool _ownsFolder;
    private readonly string _databaseName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseSetting("ConnectionStrings:GroundTruth", $"Data Source={DatabasePath};Pooling=False;{_connectionOptions}");
        builder.UseSetting("GroundTruth:SeedDemoData", "false");
        builder.UseSetting("GroundTruth:Admin:Email", AdminEmail);
        builder.UseSetting("GroundTruth:Admin:Password", AdminPassword);
        builder.UseSetting("GroundTruth:Admin:Token", AdminToken);
        foreach (var (key, value) in _settings ?? new Dictionary<string, string>())
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

    /// <summary>Creates a project through the API as the administrator and imports each Label Studio JSON body into it.</summary>
    public async Task<long> CreateProjectAsync(string title, params string[] imports)
    {
        using var admin = AdminClient();
        var created = await admin.PostAsJsonAsync("/api/projects", new { title });
        created.EnsureSuccessStatusCode();
        var project = System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        foreach (var json in imports)
        {
            (await admin.PostAsync($"/api/projects/{project}/import", new StringContent(json, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }
        return project;
    }

    public string DatabasePath => Path.Combine(_folder, _databaseName);

    /// <summary>With <c>kestrel</c>: starts the server and returns its address, e.g. http://127.0.0.1:41234.</summary>
    public string StartKestrel()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return addresses.First().TrimEnd('/');
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            if (_ownsFolder)
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // left in the temp folder; harmless
        }
    }
}

using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Support;

/// <summary>
/// The real web app on a fresh database of the run's provider (<see cref="TestStore"/>), without demo data, with a
/// first-run administrator and token; or, given a folder, on a SQLite file there (for tests of the file's storage).
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string>? _settings;
    private readonly string _connectionOptions;
    private readonly string _postgresOptions;
    private TestStore? _store;

    /// <param name="settings">Configuration on top of the test defaults.</param>
    /// <param name="kestrel">Serve on a real socket (127.0.0.1, a free port) for the browser tests.</param>
    /// <param name="connectionOptions">More of the SQLite connection string, e.g. <c>Default Timeout=1</c>.</param>
    /// <param name="folder">A folder for a SQLite file, whatever the run's provider (it is left in place on dispose).</param>
    /// <param name="databaseName">The database file's name in <paramref name="folder"/>.</param>
    /// <param name="postgresOptions">More of the PostgreSQL connection string, e.g. <c>Options=-c lock_timeout=1000</c>.</param>
    public ApiFactory(IReadOnlyDictionary<string, string>? settings = null, bool kestrel = false, string connectionOptions = "", string? folder = null,
        string databaseName = "api.db", string postgresOptions = "")
    {
        _settings = settings;
        _connectionOptions = connectionOptions;
        _postgresOptions = postgresOptions;
        _folder = folder;
        _databaseName = databaseName;
        if (kestrel)
        {
            UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        }
    }

    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin-password-1";
    public const string AdminToken = "gt_test_admin_token_0123456789abcdef";

    private readonly string? _folder;
    private readonly string _databaseName;

    /// <summary>The app's database, unless it runs on a SQLite file in a given folder.</summary>
    public TestStore Store => _store ?? throw new InvalidOperationException("The app has not started, or runs on a file in a given folder.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (_folder is not null)
        {
            Directory.CreateDirectory(_folder);
            builder.UseSetting("GroundTruth:Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:GroundTruth", $"Data Source={DatabasePath};Pooling=False;{_connectionOptions}");
        }
        else
        {
            // Made once, even when WithWebHostBuilder configures the host again. Host building is synchronous.
            _store ??= TestStore.CreateAsync(_connectionOptions, _postgresOptions).GetAwaiter().GetResult();
            builder.UseSetting("GroundTruth:Database:Provider", TestStore.Provider.ToString());
            builder.UseSetting("ConnectionStrings:GroundTruth", _store.ConnectionString);
        }
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

    /// <summary>The id of a project's first task.</summary>
    public async Task<long> FirstTaskAsync(long project)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<GroundTruth.Core.Data.GroundTruthDbContext>>().CreateDbContextAsync();
        return await db.Tasks.Where(t => t.ProjectId == project).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync();
    }

    /// <summary>The SQLite file: in the given folder, or the store's.</summary>
    public string DatabasePath => _folder is not null ? Path.Combine(_folder, _databaseName) : Store.FilePath;

    /// <summary>Every row of the app's database, to compare before and after a refused write.</summary>
    public Task<string> SnapshotAsync() => _folder is not null ? DatabaseSnapshot.TakeAsync(DatabasePath) : DatabaseSnapshot.TakeAsync(Store);

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
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}

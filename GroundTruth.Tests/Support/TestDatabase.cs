using System.Text;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Jobs;
using GroundTruth.Core.Model;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Support;

/// <summary>A real database (<see cref="TestStore"/>), migrated, with the Core services wired to it; dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private ServiceProvider? _services;
    private TestStore? _store;

    /// <summary>The database under the services (SQLite or PostgreSQL, as the run is for).</summary>
    public TestStore Store => _store ?? throw new InvalidOperationException("Not initialised.");
    public IServiceProvider Services => _services ?? throw new InvalidOperationException("Not initialised.");

    public GroundTruthService GroundTruths => Services.GetRequiredService<GroundTruthService>();
    public TaskQueryService Tasks => Services.GetRequiredService<TaskQueryService>();
    public ProjectService Projects => Services.GetRequiredService<ProjectService>();
    public LabelStudioImporter Importer => Services.GetRequiredService<LabelStudioImporter>();
    public LabelStudioExporter Exporter => Services.GetRequiredService<LabelStudioExporter>();

    private readonly CancellationTokenSource _stopping = new();
    private Task _runner = Task.CompletedTask;

    /// <summary>Fixed chunk size for the jobs of this database (null: sized by time, as in the app).</summary>
    public int? ChunkSize { get; init; }

    /// <summary>Whether this process runs the jobs (false: another process does, or the test calls the runner itself).</summary>
    public bool RunJobs { get; init; } = true;

    public JobRunner Runner => Services.GetRequiredService<JobRunner>();
    public JobService Jobs => Services.GetRequiredService<JobService>();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        _services = new ServiceCollection().AddLogging().AddSingleton(new JobOptions { ChunkSize = ChunkSize })
            .AddGroundTruthCore(_store.Options).BuildServiceProvider();
        await DatabaseInitializer.InitializeAsync(Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>());
        // Jobs run here as on an app node, so bulk actions and rescoring behave as in the app.
        if (RunJobs)
        {
            _runner = Task.Run(() => Runner.RunAsync(_stopping.Token));
        }
    }

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _runner;
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    public GroundTruthDbContext Context() => Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>().CreateDbContext();

    public async Task<long> NewProjectAsync(string title = "Test") => (await Projects.CreateAsync(Actor.System, title)).Id;

    /// <summary>Imports the file and waits for its job (running it here when this database's jobs run elsewhere).</summary>
    public async Task<ImportResult> ImportAsync(long projectId, string json, ImportOptions? options = null)
    {
        var file = new MemoryStream(Encoding.UTF8.GetBytes(json));
        if (RunJobs)
        {
            return await Importer.ImportAsync(Actor.System, projectId, file, options);
        }
        var job = await Importer.StartAsync(Actor.System, projectId, file, options);
        await Runner.RunPendingAsync();
        return LabelStudioImporter.ResultOf(await Jobs.WaitAsync(job.Id));
    }

    /// <summary>A project of <paramref name="tasks"/> text tasks, each annotated by the given annotators in order (choices "A").</summary>
    public async Task<long> SeedAsync(int tasks, params string[] annotators)
    {
        var project = await NewProjectAsync();
        await ImportAsync(project, Fixtures.Tasks(tasks, annotators));
        return project;
    }

    public async Task<List<Annotation>> AnnotationsAsync(long projectId)
    {
        await using var db = Context();
        return await db.Annotations.AsNoTracking().Include(a => a.Member)
            .Where(a => db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId)).OrderBy(a => a.Id).ToListAsync();
    }

    public async Task<List<LabelTask>> TasksAsync(long projectId)
    {
        await using var db = Context();
        return await db.Tasks.AsNoTracking().Include(t => t.Sheet).Where(t => t.ProjectId == projectId).OrderBy(t => t.Id).ToListAsync();
    }

    public async Task<long> MemberIdAsync(string email) =>
        await Projects.FindMemberIdAsync(email) ?? throw new InvalidOperationException($"No member {email}.");

    /// <summary>Everything a test may want to compare before and after a rejected write.</summary>
    public Task<string> SnapshotAsync() => DatabaseSnapshot.TakeAsync(Store);
}

using System.Collections.Concurrent;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Core;

/// <summary>
/// The notifier the provider brings (in-process on SQLite, LISTEN/NOTIFY on PostgreSQL): pages hear of a change once it
/// is committed, never of one that rolled back, and a change naming thousands of tasks still arrives.
/// </summary>
public sealed class NotifierTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly ConcurrentQueue<GroundTruthChanged> _heard = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    private IGroundTruthNotifier Notifier => _db.Services.GetRequiredService<IGroundTruthNotifier>();

    private IDisposable Listen(long project) => Notifier.Subscribe(project, change =>
    {
        _heard.Enqueue(change);
        return Task.CompletedTask;
    });

    private async Task<GroundTruthChanged> NextAsync(Func<GroundTruthChanged, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_heard.FirstOrDefault(match) is { } change)
            {
                return change;
            }
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"Not heard within 10 s; heard: {string.Join(", ", _heard.Select(c => c.ChangedBy))}");
    }

    private async Task PublishAsync(GroundTruthChanged change, bool commit)
    {
        await using var db = _db.Context();
        await using var tx = await db.Dialect.BeginWriteAsync(db.Database, default);
        await Notifier.PublishAsync(db, change, default);
        // Nobody hears of it while the transaction is open.
        await Task.Delay(100);
        Assert.DoesNotContain(_heard, c => c.ChangedBy == change.ChangedBy);
        if (commit)
        {
            await tx.CommitAsync();
        }
        else
        {
            await tx.RollbackAsync();
        }
    }

    [Fact]
    public async Task A_change_is_heard_after_its_commit_and_never_after_a_rollback()
    {
        var project = await _db.NewProjectAsync();
        using var _ = Listen(project);

        await PublishAsync(new GroundTruthChanged(project, [1], "rolled-back"), commit: false);
        await PublishAsync(new GroundTruthChanged(project, [2], "committed"), commit: true);

        var heard = await NextAsync(c => c.ChangedBy == "committed");
        Assert.Equal([2L], heard.TaskIds);
        // Changes arrive in commit order, so the rolled-back one would have come first.
        Assert.DoesNotContain(_heard, c => c.ChangedBy == "rolled-back");
    }

    [Fact]
    public async Task A_star_is_heard_by_the_project_s_pages_with_who_made_it_and_not_by_another_project_s()
    {
        var project = await _db.SeedAsync(1, "ann@x.org");
        var other = await _db.NewProjectAsync("Other");
        var heardElsewhere = 0;
        using var _ = Listen(project);
        using var __ = Notifier.Subscribe(other, _ => Task.FromResult(Interlocked.Increment(ref heardElsewhere)));
        var annotation = (await _db.AnnotationsAsync(project)).Single();

        await _db.GroundTruths.SetAsync(Actor.System, annotation.Id, ChangeSource.Review);

        var heard = await NextAsync(c => c.ChangedBy == Actor.System.Email);
        Assert.Equal((project, annotation.TaskId), (heard.ProjectId, Assert.Single(heard.TaskIds)));
        Assert.Equal(0, heardElsewhere);
    }

    [Fact]
    public async Task A_change_naming_thousands_of_tasks_still_reaches_every_one_of_them()
    {
        var project = await _db.NewProjectAsync();
        using var _ = Listen(project);
        var tasks = Enumerable.Range(1_000_000, 5_000).Select(i => (long)i).ToList();

        await PublishAsync(new GroundTruthChanged(project, tasks, "bulk"), commit: true);

        var heard = await NextAsync(c => c.ChangedBy == "bulk");
        // PostgreSQL's payload limit (8000 bytes) turns so long a list into "any task"; either way each page reloads.
        Assert.All(tasks, task => Assert.True(heard.Touches(task)));
    }

    [OnlyOn(DatabaseProvider.Postgres, "only PostgreSQL's notifier has a connection to lose; SQLite's is one process's")]
    public async Task When_the_listener_loses_its_connection_pages_reload_once_it_listens_again()
    {
        var project = await _db.NewProjectAsync();
        using var _ = Listen(project);

        // What a server restart or a dropped network does to the node's one listening connection.
        await using (var db = _db.Context())
        {
            var ended = await db.Database.SqlQueryRaw<bool>($"""
                SELECT pg_terminate_backend(pid) AS "Value" FROM pg_stat_activity
                WHERE datname = current_database() AND query = 'LISTEN {PostgresGroundTruthNotifier.Channel}'
                """).ToListAsync();
            Assert.Equal([true], ended);
        }

        // A change committed while it was gone reached nobody here; the page is told to reload instead, naming no one.
        var missed = await NextAsync(c => c.MissedChanges);
        Assert.Equal((project, ""), (missed.ProjectId, missed.ChangedBy));
        Assert.True(missed.Touches(42));
        await PublishAsync(new GroundTruthChanged(project, [7], "after"), commit: true);
        Assert.Equal([7L], (await NextAsync(c => c.ChangedBy == "after")).TaskIds);
    }
}

using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Jobs;
using GroundTruth.Core.Scoring;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Jobs;

/// <summary>
/// A job survives its node: the app, running a job in its own process, is killed with SIGKILL mid-job and started
/// again; after its lease runs out the job is taken up where its last committed chunk left it and finishes — and the
/// database then reads exactly as after the same job run without interruption, with every invariant holding.
/// </summary>
public sealed class JobKillTests
{
    private const int Tasks = 2000;

    /// <summary>Small chunks make a long job to kill; a short lease makes the restart take it up soon.</summary>
    private static readonly Dictionary<string, string> NodeSettings = new()
    {
        ["GroundTruth__Jobs__ChunkSize"] = "10",
        ["GroundTruth__Jobs__LeaseSeconds"] = "2",
    };

    [Theory]
    [InlineData(JobKind.SetGroundTruths)]
    [InlineData(JobKind.DeleteGroundTruths)]
    [InlineData(JobKind.Rescore)]
    [InlineData(JobKind.Import)]
    public async Task A_job_killed_with_its_node_finishes_after_a_restart_as_an_uninterrupted_run_would(JobKind kind)
    {
        var killed = new TestDatabase { RunJobs = false };
        var whole = new TestDatabase { RunJobs = false, ChunkSize = 10 };
        await killed.InitializeAsync();
        await whole.InitializeAsync();
        try
        {
            var id = await StartAsync(killed, kind);
            Assert.Equal(id, await StartAsync(whole, kind));
            await whole.Runner.RunPendingAsync();

            using (var node = AppNode.Start(killed.Store, NodeSettings))
            {
                await JobWorld.WaitForAsync(killed, id, j => j.Done > 0, context: () => node.Output);
                node.Kill();
            }
            var cut = await JobWorld.JobAsync(killed, id);
            Assert.True(cut is { State: JobState.Running } && cut.Done < cut.Total, $"Killed at {cut.Done} of {cut.Total} ({cut.State}): not mid-job.");
            Assert.Equal(0, await JobWorld.BrokenTasksAsync(killed.Store));
            if (kind == JobKind.Import)
            {
                // Half an import is there, but no one sees any of it.
                Assert.Equal(0, (await killed.Projects.GetAsync(Actor.System, cut.ProjectId)).TaskCount);
            }

            using (var node = AppNode.Start(killed.Store, NodeSettings))
            {
                await JobWorld.WaitForAsync(killed, id, j => !j.IsActive, context: () => node.Output);
            }

            Assert.Equal(await JobWorld.OutcomeAsync(whole.Store), await JobWorld.OutcomeAsync(killed.Store));
            Assert.Equal(JobState.Succeeded, (await JobWorld.JobAsync(killed, id)).State);
            Assert.Equal(0, await JobWorld.BrokenTasksAsync(killed.Store));
        }
        finally
        {
            await killed.DisposeAsync();
            await whole.DisposeAsync();
        }
    }

    /// <summary>
    /// On PostgreSQL an import chunk writes its first half on a second connection, committed just before the job's own
    /// transaction, which writes the second half. Here the second half of the fifth chunk fails once, as a busy database
    /// makes it, after the first half committed: the next attempt writes the rest and the import ends as one that never
    /// failed — no task twice or missing, ids in the file's order, the job's counts the same.
    /// </summary>
    [OnlyOn(DatabaseProvider.Postgres, "SQLite has one writer, so a chunk is written on one connection and commits whole or not at all")]
    public async Task An_import_chunk_whose_second_half_fails_after_its_first_committed_ends_as_an_uninterrupted_run_would()
    {
        var failing = new TestDatabase { RunJobs = false, ChunkSize = 10 };
        var whole = new TestDatabase { RunJobs = false, ChunkSize = 10 };
        await failing.InitializeAsync();
        await whole.InitializeAsync();
        try
        {
            // At the commit of the job's transaction (a deferred trigger), so after the first half's own commit; a
            // sequence, not a table, counts: its count survives the rollback of the transaction that raised.
            await using (var connection = await failing.Store.OpenAsync())
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    CREATE SEQUENCE fail_once;
                    CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF NEW.inner_id = 48 AND nextval('fail_once') = 1 THEN
                        RAISE EXCEPTION 'busy, once' USING ERRCODE = '40001';
                      END IF;
                      RETURN NEW;
                    END $$;
                    CREATE CONSTRAINT TRIGGER fail_once AFTER INSERT ON tasks DEFERRABLE INITIALLY DEFERRED
                      FOR EACH ROW EXECUTE FUNCTION fail_once();
                    """;
                await command.ExecuteNonQueryAsync();
            }
            var id = await StartAsync(failing, JobKind.Import);
            Assert.Equal(id, await StartAsync(whole, JobKind.Import));
            await whole.Runner.RunPendingAsync();
            await failing.Runner.RunPendingAsync();

            await using (var connection = await failing.Store.OpenAsync())
            await using (var command = connection.CreateCommand())
            {
                // Task 48 was inserted twice: once in the attempt that failed, once in the one after it.
                command.CommandText = "SELECT last_value FROM fail_once";
                Assert.Equal(2L, await command.ExecuteScalarAsync());
            }
            Assert.Equal(await JobWorld.OutcomeAsync(whole.Store), await JobWorld.OutcomeAsync(failing.Store));
            Assert.Equal(JobState.Succeeded, (await JobWorld.JobAsync(failing, id)).State);
            Assert.Equal(0, await JobWorld.BrokenTasksAsync(failing.Store));
        }
        finally
        {
            await failing.DisposeAsync();
            await whole.DisposeAsync();
        }
    }

    /// <summary>The same project in each database, and a job of <paramref name="kind"/> on it, queued for a runner.</summary>
    private static async Task<long> StartAsync(TestDatabase db, JobKind kind)
    {
        if (kind == JobKind.Import)
        {
            var target = await db.NewProjectAsync("Jobs");
            return (await db.Importer.StartAsync(Actor.System, target, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(JobWorld.File(Tasks))))).Id;
        }
        var project = await JobWorld.SeedAsync(db, Tasks);
        var job = kind switch
        {
            JobKind.SetGroundTruths => await db.GroundTruths.StartSetByAnnotatorAsync(Actor.System, project, null, TaskSelection.Everything, AnnotatorRef.ByEmail("c@x.org")),
            JobKind.DeleteGroundTruths => await db.GroundTruths.StartDeleteAsync(Actor.System, project, null, TaskSelection.Everything),
            _ => null,
        };
        if (job is null)
        {
            var settings = (ScoringSettingsService)db.Services.GetService(typeof(ScoringSettingsService))!;
            await settings.UpdateAsync(Actor.System, project, ScoringSettings.Default with { Methodology = AgreementMethodology.Consensus, GroundTruthInAgreement = false });
            job = await db.Jobs.ActiveAsync(Actor.System, project, [JobKind.Rescore]);
        }
        return job!.Id;
    }
}

using System.Text;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Jobs;
using GroundTruth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Tests.Jobs;

/// <summary>
/// An import's job runs while its file is still arriving, on what has arrived: users still see all of it or nothing,
/// and an upload that fails, goes quiet or is cancelled part-way leaves nothing of it behind.
/// </summary>
public sealed class ImportWhileUploadingTests : IAsyncLifetime
{
    private const int Tasks = 2000;
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task The_job_writes_what_has_arrived_shows_nothing_until_the_end_and_ends_as_a_plain_import_does()
    {
        var plain = new TestDatabase();
        await plain.InitializeAsync();
        try
        {
            var expected = await plain.ImportAsync(await plain.NewProjectAsync("Jobs"), JobWorld.File(Tasks));

            var project = await _db.NewProjectAsync("Jobs");
            var upload = await UploadHalfAsync(project, JobWorld.File(Tasks));
            Assert.Equal(0, (await _db.Projects.GetAsync(Actor.System, project)).TaskCount);

            upload.File.Open();
            Assert.Equal(upload.Job.Id, (await upload.Finished).Id);
            Assert.Equal(expected, LabelStudioImporter.ResultOf(await _db.Jobs.WaitAsync(upload.Job.Id)));
            Assert.Equal(Tasks, (await _db.Projects.GetAsync(Actor.System, project)).TaskCount);
            Assert.Equal(await JobWorld.OutcomeAsync(plain.Store), await JobWorld.OutcomeAsync(_db.Store));
            Assert.Equal(0, await JobWorld.BrokenTasksAsync(_db.Store));
        }
        finally
        {
            await plain.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_bad_item_after_chunks_were_written_leaves_nothing_behind_not_even_the_job()
    {
        var project = await _db.SeedAsync(3, "a@x.org");
        var before = await _db.SnapshotAsync();
        var upload = await UploadHalfAsync(project, JobWorld.File(Tasks)[..^1] + """, {"data": {"text": "bad"}, "annotations": {}}]""");

        upload.File.Open();
        var error = await Assert.ThrowsAsync<ImportException>(() => upload.Finished);
        Assert.Contains($"Item {Tasks} at $[{Tasks}].annotations", error.Message);
        Assert.Equal(before, await _db.SnapshotAsync());
    }

    [Fact]
    public async Task An_upload_that_goes_quiet_fails_its_job_and_leaves_only_the_failed_jobs_row()
    {
        var project = await _db.SeedAsync(3, "a@x.org");
        var before = await _db.SnapshotAsync();
        var upload = await UploadHalfAsync(project, JobWorld.File(Tasks));

        // As if the upload's node had died ten minutes ago: its job gives up on it and undoes what it wrote.
        await using (var context = _db.Context())
        {
            await context.Jobs.Where(j => j.Id == upload.Job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.UploadUntil, DateTime.UtcNow.AddMinutes(-1)));
        }
        var failed = await JobWorld.WaitForAsync(_db, upload.Job.Id, j => !j.IsActive);
        Assert.Equal((JobState.Failed, "The file stopped arriving before its end; import it again."), (failed.State, failed.Error));
        Assert.Equal(JobWorld.WithoutJobs(before), JobWorld.WithoutJobs(await _db.SnapshotAsync()));

        // Should the upload come back to life, it stops at its next batch and leaves the failed job as it was.
        upload.File.Open();
        await Assert.ThrowsAsync<ConflictException>(() => upload.Finished);
        Assert.Equal(JobWorld.WithoutJobs(before), JobWorld.WithoutJobs(await _db.SnapshotAsync()));
        Assert.Equal(JobState.Failed, (await JobWorld.JobAsync(_db, upload.Job.Id)).State);
    }

    [Fact]
    public async Task Cancelling_the_job_while_its_file_uploads_stops_the_upload_and_leaves_nothing()
    {
        var project = await _db.SeedAsync(3, "a@x.org");
        var before = await _db.SnapshotAsync();
        var upload = await UploadHalfAsync(project, JobWorld.File(Tasks));

        await _db.Jobs.CancelAsync(Actor.System, upload.Job.Id);
        Assert.Equal(JobState.Cancelled, (await JobWorld.WaitForAsync(_db, upload.Job.Id, j => !j.IsActive)).State);
        upload.File.Open();
        var error = await Assert.ThrowsAsync<ConflictException>(() => upload.Finished);
        Assert.Contains("cancelled", error.Message);
        Assert.Equal(JobWorld.WithoutJobs(before), JobWorld.WithoutJobs(await _db.SnapshotAsync()));
    }

    [OnlyOn(DatabaseProvider.Postgres, "SQLite has no row locks: its claim takes the write lock, which an upload's batch holds only while it writes")]
    public async Task A_job_is_claimed_while_its_upload_is_writing_a_batch()
    {
        var db = new TestDatabase { RunJobs = false };
        await db.InitializeAsync();
        try
        {
            var project = await db.NewProjectAsync();
            var file = new GatedStream(JobWorld.File(Tasks));
            var finished = Task.Run(() => db.Importer.StartAsync(Actor.System, project, file));
            var id = await IdAsync(db);

            // A batch being staged: its rows' foreign key share-locks the job's row until the batch commits.
            await using (var batch = db.Context())
            await using (var transaction = await batch.Database.BeginTransactionAsync())
            {
                await batch.Database.ExecuteSqlAsync($"INSERT INTO import_rows (job_id, position, task) VALUES ({id}, {1_000_000}, {"{}"})");
                var running = Task.Run(() => db.Runner.RunPendingAsync());
                Assert.Equal(JobState.Running, (await JobWorld.WaitForAsync(db, id, j => j.State == JobState.Running, seconds: 10)).State);
                await transaction.RollbackAsync();
                file.Open();
                await finished;
                await running;
            }
            Assert.Equal(Tasks, (await db.Projects.GetAsync(Actor.System, project)).TaskCount);
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    /// <summary>An import whose file has half arrived, with its job as it was once it had written some of it.</summary>
    private sealed record Upload(GatedStream File, Task<Job> Finished, Job Job);

    /// <summary>
    /// Starts importing <paramref name="text"/> with its second half held back, and waits until the job has written
    /// tasks from the first.
    /// </summary>
    private async Task<Upload> UploadHalfAsync(long project, string text)
    {
        var file = new GatedStream(text);
        var finished = Task.Run(() => _db.Importer.StartAsync(Actor.System, project, file));
        var job = await JobWorld.WaitForAsync(_db, await IdAsync(_db), j => j.Done > 0);
        // Its size is not known until the whole file has arrived.
        Assert.Equal((JobState.Running, 0L), (job.State, job.Total));
        Assert.NotNull(job.UploadUntil);
        return new Upload(file, finished, job);
    }

    /// <summary>The import job whose file is still arriving.</summary>
    private static async Task<long> IdAsync(TestDatabase db)
    {
        for (var tries = 0; tries < 600; tries++)
        {
            await using var context = db.Context();
            if (await context.Jobs.Where(j => j.Kind == JobKind.Import && j.UploadUntil != null).Select(j => (long?)j.Id).SingleOrDefaultAsync() is { } id)
            {
                return id;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("No import job started.");
    }


    /// <summary>A file whose first half can be read at once and whose second half arrives only when the test opens the gate.</summary>
    private sealed class GatedStream(string text) : Stream
    {
        private readonly MemoryStream _bytes = new(Encoding.UTF8.GetBytes(text));
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _gate.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var half = _bytes.Length / 2;
            if (_bytes.Position >= half)
            {
                await _gate.Task.WaitAsync(ct);
            }
            var allowed = _gate.Task.IsCompleted ? buffer.Length : (int)Math.Min(buffer.Length, half - _bytes.Position);
            return _bytes.Read(buffer.Span[..allowed]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The importer reads asynchronously.");

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

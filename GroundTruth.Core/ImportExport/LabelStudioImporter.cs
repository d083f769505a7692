using System.Runtime.CompilerServices;
using System.Text.Json;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Jobs;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.ImportExport;

/// <summary>
/// Imports Label Studio JSON (an array of tasks, or one task) as a job (<see cref="ImportJob"/>). The upload is streamed:
/// one task at a time is parsed, validated and staged as a row of <c>import_rows</c>, a few hundred rows a short
/// transaction, so any node can run the job and none holds the file in memory. The job is queued before the first row
/// and writes rows as they arrive, so the file's upload and the job's work overlap. The first bad item discards the job
/// and everything staged or written; users see the tasks only when the job's last chunk has written them all.
/// </summary>
public sealed class LabelStudioImporter(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time, JobService jobs)
{
    /// <summary>Tasks staged per transaction.</summary>
    private const int Batch = 500;

    /// <summary>How long an upload may go quiet before its job counts it as abandoned and fails.</summary>
    private static readonly TimeSpan UploadLease = TimeSpan.FromMinutes(10);

    /// <summary>Imports the file and waits for its job: the tasks are there when this returns.</summary>
    public async Task<ImportResult> ImportAsync(Actor actor, long projectId, Stream json, ImportOptions? options = null, CancellationToken ct = default)
    {
        var job = await StartAsync(actor, projectId, json, options, ct);
        return ResultOf(await jobs.WaitAsync(job.Id, ct));
    }

    /// <summary>What an import job wrote (known once its file was read; the job makes it true).</summary>
    public static ImportResult ResultOf(Job job) => JobService.Read<ImportResult>(job.Result ?? throw new InvalidOperationException($"Job {job.Id} is not an import."));

    /// <summary>
    /// Queues the job, then reads and stages the whole file while the job runs, and returns the job. A bad item is an
    /// <see cref="ImportException"/> naming it, and leaves nothing behind; so does a cancelled upload.
    /// </summary>
    public async Task<Job> StartAsync(Actor actor, long projectId, Stream json, ImportOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ImportOptions();
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "import", ct);
        await db.OpenConnectionAsync(ct);
        var job = await BeginAsync(db, actor, projectId, ct);
        try
        {
            var result = await StageAsync(db, job.Id, json, options, ct);
            await jobs.UploadedAsync(db, job.Id, result.TaskCount, result, ct);
            return job;
        }
        catch
        {
            await DiscardAsync(db, job.Id, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The hidden project the job writes into, and the job, ready for the first rows of its file.</summary>
    private async Task<Job> BeginAsync(GroundTruthDbContext db, Actor actor, long projectId, CancellationToken ct)
    {
        await using var tx = await db.Dialect.BeginWriteAsync(db.Database, ct);
        var staging = new Project { Title = $"Import into project {projectId}", CreatedAt = SqliteTime.Now(time), ImportForProjectId = projectId };
        db.Projects.Add(staging);
        await db.SaveChangesAsync(ct);
        var job = await jobs.EnqueueAsync(db, actor, projectId, JobKind.Import, new ImportJob.Parameters(staging.Id), 0, ct, uploadFor: UploadLease);
        await tx.CommitAsync(ct);
        return job;
    }

    /// <summary>
    /// Parses the file and stages its tasks a batch at a time. A batch is written while the next one is parsed: the
    /// server's work on one overlaps the client's on the other.
    /// </summary>
    private async Task<ImportResult> StageAsync(GroundTruthDbContext db, long jobId, Stream json, ImportOptions options, CancellationToken ct)
    {
        var parser = new LabelStudioTaskParser(options);
        int tasks = 0, annotations = 0, predictions = 0, groundTruths = 0, corrected = 0, replaced = 0;
        var pending = new List<string>(Batch);
        // The batch being written; its result is when the upload was last kept alive.
        var writing = Task.FromResult(SqliteTime.Now(time));
        try
        {
            await foreach (var (element, path) in ReadTasksAsync(json, () => tasks, ct))
            {
                var (task, wasCorrected) = parser.Parse(Repaired(element, ref replaced), tasks, path);
                pending.Add(JsonSerializer.Serialize(task, JobService.Json));
                tasks++;
                annotations += task.Annotations.Count;
                predictions += task.Predictions.Count;
                groundTruths += task.Annotations.Count(a => a.KeepsGroundTruth);
                corrected += wasCorrected ? 1 : 0;
                if (pending.Count == Batch)
                {
                    writing = WriteRowsAsync(db, jobId, tasks - pending.Count, pending, await writing, ct);
                    pending = new List<string>(Batch);
                }
            }
            var renewed = await writing;
            if (tasks == 0)
            {
                throw new ImportException(0, "$", "the file holds no tasks.");
            }
            await WriteRowsAsync(db, jobId, tasks - pending.Count, pending, renewed, ct);
        }
        finally
        {
            // A bad item can end the loop while a batch is still being written: the connection is free again only after it.
            await ((Task)writing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return new ImportResult(tasks, annotations, predictions, groundTruths, corrected, replaced);
    }

    /// <summary>
    /// Stages parsed tasks after the first <paramref name="before"/> for the running job; returns when the upload was
    /// last kept alive (<see cref="JobService.StagedAsync"/>).
    /// </summary>
    private async Task<DateTime> WriteRowsAsync(GroundTruthDbContext db, long jobId, int before, List<string> rows, DateTime renewed, CancellationToken ct)
    {
        await using (var tx = await db.Dialect.BeginWriteAsync(db.Database, ct))
        {
            await db.Dialect.InsertRowsAsync(db, "import_rows", ["job_id", "position", "task"], [.. rows.Select((task, i) => new object?[] { jobId, before + i + 1, task })], ct);
            await tx.CommitAsync(ct);
        }
        return await jobs.StagedAsync(db, jobId, renewed, UploadLease, ct);
    }

    /// <summary>
    /// Deletes what the upload staged and its job wrote: the rows, the hidden project with the tasks its chunks wrote,
    /// and the job, which no user asked to stop and so leaves no trace — unless it had ended already (cancelled from the
    /// page, say), when its row stays to say so. Marking it first waits for a chunk in progress (it holds the job's
    /// row); the runner then finds the job gone, or ended, and drops it.
    /// </summary>
    private static async Task DiscardAsync(GroundTruthDbContext db, long jobId, CancellationToken ct)
    {
        await using var tx = await db.Dialect.BeginWriteAsync(db.Database, ct);
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.UploadUntil, (DateTime?)null), ct);
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
        await ImportJob.DeleteStagingAsync(db, job, ct);
        if (job.IsActive)
        {
            await db.Jobs.Where(j => j.Id == jobId).ExecuteDeleteAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>The task with text that is not valid Unicode replaced by U+FFFD (<see cref="UnicodeRepair"/>), before anything reads it.</summary>
    private static JsonElement Repaired(JsonElement task, ref int replaced)
    {
        var repaired = UnicodeRepair.Repair(task, out var count);
        replaced += count;
        return repaired;
    }

    /// <summary>Yields each task of the file with its JSON path, holding one task in memory at a time.</summary>
    private static async IAsyncEnumerable<(JsonElement Task, string Path)> ReadTasksAsync(Stream json, Func<int> index, [EnumeratorCancellation] CancellationToken ct)
    {
        var (first, stream) = await PeekAsync(json, ct);
        if (first == '{')
        {
            JsonElement single;
            try
            {
                single = await JsonSerializer.DeserializeAsync<JsonElement>(stream, cancellationToken: ct);
            }
            catch (JsonException e)
            {
                throw new ImportException(0, e.Path ?? "$", "not valid JSON: " + e.Message);
            }
            yield return (single, "$");
            yield break;
        }
        if (first != '[')
        {
            throw new ImportException(0, "$", first < 0 ? "the file is empty." : "expected a task object or an array of tasks.");
        }

        await using var items = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: ct).GetAsyncEnumerator(ct);
        while (true)
        {
            JsonElement item;
            try
            {
                if (!await items.MoveNextAsync())
                {
                    yield break;
                }
                item = items.Current;
            }
            catch (JsonException e)
            {
                // The reader's own path is relative to the item it was reading; the item index is what locates it.
                throw new ImportException(index(), $"$[{index()}]", "not valid JSON: " + e.Message);
            }
            yield return (item, $"$[{index()}]");
        }
    }

    /// <summary>The first non-blank byte (-1 for an empty file) and a stream that still starts at the beginning.</summary>
    private static async Task<(int First, Stream Stream)> PeekAsync(Stream json, CancellationToken ct)
    {
        var prefix = new List<byte>();
        var one = new byte[1];
        while (await json.ReadAsync(one, ct) == 1)
        {
            prefix.Add(one[0]);
            if (one[0] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
            {
                return (one[0], new PrefixedStream([.. prefix.Where(b => b is not (0xEF or 0xBB or 0xBF))], json));
            }
        }
        return (-1, json);
    }
}

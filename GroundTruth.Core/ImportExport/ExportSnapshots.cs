using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Jobs;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.ImportExport;

/// <summary>A snapshot as read, with what it was asked to leave out.</summary>
public sealed record ExportSnapshotView(long Id, long ProjectId, string Title, string Status, long? CreatedByUserId, string? CreatedByEmail, DateTime CreatedAt,
    DateTime? FinishedAt, int Tasks, int Annotations, int Predictions, bool OnlyWithAnnotations, long? JobId);

/// <summary>
/// Label Studio's export snapshots: create one (a job builds it, a chunk of tasks per transaction, so no reviewer waits
/// behind a large export), list, read, delete, and download it as JSON or converted to JSON_MIN, CSV or TSV. A chunk
/// reads the tasks as they are when it runs: a task changed while a long snapshot is being built shows as it was when
/// its chunk was written. Managers and administrators, as for the simple export.
/// </summary>
public sealed class ExportSnapshotService(IDbContextFactory<GroundTruthDbContext> factory, JobService jobs, JobSignal signal, TimeProvider time)
{
    public async Task<ExportSnapshotView> CreateAsync(Actor actor, long projectId, string? title, bool onlyWithAnnotations, CancellationToken ct = default)
    {
        title = string.IsNullOrWhiteSpace(title) ? null : title.Trim();
        if (title?.Length > 2048)
        {
            throw new BadInputException("title may be at most 2,048 characters.", "title");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "export", ct);
        await using var tx = await db.Dialect.BeginWriteAsync(db.Database, ct);
        var total = await db.Tasks.LongCountAsync(t => t.ProjectId == projectId && (!onlyWithAnnotations || t.TotalAnnotations > t.CancelledAnnotations), ct);
        var now = SqliteTime.Now(time);
        var snapshot = new ExportSnapshot
        {
            ProjectId = projectId,
            Title = title ?? $"Export {now:yyyy-MM-dd HH:mm}",
            Status = "created",
            Options = new JsonObject { ["only_with_annotations"] = onlyWithAnnotations }.ToJsonString(),
            CreatedByUserId = actor.UserId == Actor.System.UserId ? null : actor.UserId,
            CreatedAt = now,
        };
        db.ExportSnapshots.Add(snapshot);
        await db.SaveChangesAsync(ct);
        var job = await jobs.EnqueueAsync(db, actor, projectId, JobKind.Export, new ExportJob.Parameters(snapshot.Id), total, ct);
        snapshot.JobId = job.Id;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // The runner woke when the job was recorded, before this commit let it see the job: wake it again.
        signal.Wake();
        return (await ReadAsync(db, projectId, [snapshot.Id], ct)).Single();
    }

    /// <summary>The project's snapshots, newest first.</summary>
    public async Task<IReadOnlyList<ExportSnapshotView>> ListAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "export", ct);
        return await ReadAsync(db, projectId, null, ct);
    }

    public async Task<ExportSnapshotView> GetAsync(Actor actor, long projectId, long snapshotId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "export", ct);
        return (await ReadAsync(db, projectId, [snapshotId], ct)).SingleOrDefault() ?? throw new NotFoundException("Export", snapshotId);
    }

    /// <summary>Deletes the snapshot and its parts; a job still building it finds nothing to add to and stops.</summary>
    public async Task DeleteAsync(Actor actor, long projectId, long snapshotId, CancellationToken ct = default)
    {
        var snapshot = await GetAsync(actor, projectId, snapshotId, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (snapshot.JobId is { } jobId)
        {
            await db.Jobs.Where(j => j.Id == jobId && (j.State == JobState.Queued || j.State == JobState.Running)).ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), ct);
        }
        await db.ExportSnapshots.Where(s => s.Id == snapshotId).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// Writes a completed snapshot in <paramref name="format"/> (one of <see cref="LabelStudioExporter.Formats"/>): the
    /// stored JSON part by part, or its flat conversion. A snapshot not yet completed is a 409 saying its status.
    /// </summary>
    public async Task DownloadAsync(Actor actor, long projectId, long snapshotId, string format, Stream output, CancellationToken ct = default)
    {
        var snapshot = await EnsureCompletedAsync(actor, projectId, snapshotId, ct);
        if (format == "JSON")
        {
            await using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            await writer.WriteAsync('[');
            var first = true;
            await foreach (var part in PartsAsync(snapshot.Id, ct))
            {
                await writer.WriteAsync(first ? part : "," + part);
                await writer.FlushAsync(ct);
                first = false;
            }
            await writer.WriteAsync(']');
            await writer.FlushAsync(ct);
            return;
        }
        await LabelStudioExporter.WriteFlatAsync(format,
            () => PartsAsync(snapshot.Id, ct).Select(part => FlatExport.From(JsonNode.Parse("[" + part + "]")!.AsArray())), output, ct);
    }

    /// <summary>The snapshot, or a 404 / 403 / 409 before anything is written.</summary>
    public async Task<ExportSnapshotView> EnsureCompletedAsync(Actor actor, long projectId, long snapshotId, CancellationToken ct = default)
    {
        var snapshot = await GetAsync(actor, projectId, snapshotId, ct);
        return snapshot.Status == "completed" ? snapshot
            : throw new ConflictException($"Export {snapshotId} is {snapshot.Status.Replace('_', ' ')}; it can be downloaded once it is completed.");
    }

    /// <summary>The parts in order, each read in its own short query so that a large snapshot is never held whole.</summary>
    private async IAsyncEnumerable<string> PartsAsync(long snapshotId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var position = -1;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var part = await db.ExportParts.AsNoTracking().Where(p => p.SnapshotId == snapshotId && p.Position > position).OrderBy(p => p.Position)
                .Select(p => new { p.Position, p.Content }).FirstOrDefaultAsync(ct);
            if (part is null)
            {
                yield break;
            }
            position = part.Position;
            if (part.Content.Length > 0)
            {
                yield return part.Content;
            }
        }
    }

    private static async Task<List<ExportSnapshotView>> ReadAsync(GroundTruthDbContext db, long projectId, IReadOnlyCollection<long>? ids, CancellationToken ct)
    {
        var rows = await db.ExportSnapshots.AsNoTracking().Where(s => s.ProjectId == projectId && (ids == null || ids.Contains(s.Id)))
            .OrderByDescending(s => s.Id)
            .Select(s => new { Snapshot = s, Email = db.Users.Where(u => u.Id == s.CreatedByUserId).Select(u => u.Email).FirstOrDefault() })
            .ToListAsync(ct);
        return [.. rows.Select(r => new ExportSnapshotView(r.Snapshot.Id, r.Snapshot.ProjectId, r.Snapshot.Title, r.Snapshot.Status, r.Snapshot.CreatedByUserId, r.Email,
            r.Snapshot.CreatedAt, r.Snapshot.FinishedAt, r.Snapshot.TaskCount, r.Snapshot.AnnotationCount, r.Snapshot.PredictionCount,
            JsonNode.Parse(r.Snapshot.Options)?["only_with_annotations"]?.GetValue<bool>() == true, r.Snapshot.JobId))];
    }
}

/// <summary>
/// Builds a snapshot: each chunk writes the next tasks' JSON as one part and adds to the snapshot's counts in the same
/// transaction that advances the cursor, so a job resumed after a crash neither skips nor repeats a task.
/// </summary>
internal sealed class ExportJob(TimeProvider time) : IJobHandler
{
    public sealed record Parameters(long SnapshotId);

    public JobKind Kind => JobKind.Export;

    public async Task<JobStep> RunChunkAsync(GroundTruthDbContext db, Job job, int size, CancellationToken ct)
    {
        var id = JobService.Read<Parameters>(job.Parameters).SnapshotId;
        var snapshot = await db.ExportSnapshots.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (snapshot is null)
        {
            return new JobStep(job.Cursor, 0, job.Result, Finished: true); // deleted while it was being built
        }
        var onlyAnnotated = JsonNode.Parse(snapshot.Options)?["only_with_annotations"]?.GetValue<bool>() == true;
        var chunk = await LabelStudioExporter.ReadChunkAsync(db, job.ProjectId, job.Cursor, size, ct, onlyAnnotated: onlyAnnotated);
        if (chunk is null)
        {
            snapshot.Status = "completed";
            snapshot.FinishedAt = SqliteTime.Now(time);
            await db.SaveChangesAsync(ct);
            return new JobStep(job.Cursor, 0, job.Result, Finished: true);
        }
        var position = await db.ExportParts.Where(p => p.SnapshotId == id).Select(p => (int?)p.Position).MaxAsync(ct) ?? -1;
        db.ExportParts.Add(new ExportPart { SnapshotId = id, Position = position + 1, Content = LabelStudioExporter.PartJson(chunk, job.ProjectId) });
        snapshot.Status = "in_progress";
        snapshot.TaskCount += chunk.Tasks.Count;
        snapshot.AnnotationCount += chunk.Annotations.Sum(g => g.Count());
        snapshot.PredictionCount += chunk.Predictions.Sum(g => g.Count());
        await db.SaveChangesAsync(ct);
        return new JobStep(chunk.Tasks[^1].Id, chunk.Tasks.Count, job.Result, Finished: false);
    }

    /// <summary>A failed or cancelled build keeps its row, marked failed, and none of its parts.</summary>
    public async Task AbandonAsync(GroundTruthDbContext db, Job job, CancellationToken ct)
    {
        var id = JobService.Read<Parameters>(job.Parameters).SnapshotId;
        await db.ExportParts.Where(p => p.SnapshotId == id).ExecuteDeleteAsync(ct);
        await db.ExportSnapshots.Where(s => s.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, "failed")
            .SetProperty(x => x.FinishedAt, SqliteTime.Now(time)), ct);
    }
}

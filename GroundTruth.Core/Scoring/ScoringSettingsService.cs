using System.Collections.Concurrent;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GroundTruth.Core.Scoring;

/// <summary>
/// A project's scoring settings. Changing them rescores the whole project in the background, a batch per transaction
/// (so reviewers are never blocked for long), with progress; a newer change cancels a rescoring still running.
/// </summary>
public sealed class ScoringSettingsService(IDbContextFactory<GroundTruthDbContext> factory, ILogger<ScoringSettingsService> logger)
{
    private const int Batch = 2000;
    private readonly ConcurrentDictionary<long, (CancellationTokenSource Cancel, Task Work)> _running = new();
    private readonly ConcurrentDictionary<long, RecomputeProgress> _progress = new();

    public async Task<(ScoringSettings Settings, RecomputeProgress Progress)> GetAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see scoring settings", ct);
        return (await ScoreKeeper.SettingsAsync(db, projectId, ct), _progress.GetValueOrDefault(projectId) ?? new RecomputeProgress(0, 0, false));
    }

    /// <summary>Stores the settings and starts rescoring the project; returns at once.</summary>
    public async Task<RecomputeProgress> UpdateAsync(Actor actor, long projectId, ScoringSettings settings, CancellationToken ct = default)
    {
        settings.Validate();
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "change scoring settings", ct);
            await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.ScoringSettings, settings.ToJson()), ct);
        }
        if (_running.TryRemove(projectId, out var previous))
        {
            await previous.Cancel.CancelAsync();
            await previous.Work.ContinueWith(_ => { }, TaskScheduler.Default);
            previous.Cancel.Dispose();
        }
        var cancel = new CancellationTokenSource();
        _progress[projectId] = new RecomputeProgress(0, 0, true);
        var work = Task.Run(() => RecomputeAsync(projectId, cancel.Token), CancellationToken.None);
        _running[projectId] = (cancel, work);
        return _progress[projectId];
    }

    /// <summary>Completes when the project's current rescoring has finished (at once if none runs).</summary>
    public Task WhenIdleAsync(long projectId) => _running.TryGetValue(projectId, out var running) ? running.Work : Task.CompletedTask;

    private async Task RecomputeAsync(long projectId, CancellationToken ct)
    {
        try
        {
            List<long> ids;
            ScoringSettings settings;
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                ids = await db.Tasks.Where(t => t.ProjectId == projectId).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct);
                settings = await ScoreKeeper.SettingsAsync(db, projectId, ct);
            }
            _progress[projectId] = new RecomputeProgress(0, ids.Count, true);
            for (var start = 0; start < ids.Count; start += Batch)
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await ScoreKeeper.RecomputeAsync(db, settings, ids.GetRange(start, Math.Min(Batch, ids.Count - start)), ct);
                await tx.CommitAsync(ct);
                _progress[projectId] = new RecomputeProgress(Math.Min(ids.Count, start + Batch), ids.Count, true);
            }
            _progress[projectId] = new RecomputeProgress(ids.Count, ids.Count, false);
        }
        catch (OperationCanceledException)
        {
            // A newer change of settings took over.
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogError(e, "Rescoring project {Project} failed", projectId);
            _progress[projectId] = _progress[projectId] with { Running = false, Error = "Rescoring failed; it has been logged." };
        }
    }
}

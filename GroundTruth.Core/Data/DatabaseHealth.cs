using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Data;

/// <summary>Whether this node's database answers, for <c>/health</c> (a load balancer takes a node out that says no).</summary>
public sealed class DatabaseHealth(IDbContextFactory<GroundTruthDbContext> factory)
{
    /// <summary>A balancer polls every few seconds: a database slower than this counts as not answering.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Null when a read of the projects table answers in time; otherwise why not, in one line without secrets.</summary>
    public async Task<string?> ProblemAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var db = await factory.CreateDbContextAsync(timeout.Token);
            // A table, not SELECT 1: a file or server that answers but holds no GroundTruth schema is not healthy either.
            await db.Projects.AnyAsync(timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"The database did not answer within {Timeout.TotalSeconds:0} s.";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return StorageFaults.Describe(e) is { } problem ? $"The database {problem}." : $"The database cannot be read ({e.GetType().Name}).";
        }
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GroundTruth.Core.Data;

/// <summary>
/// Runs what <see cref="GroundTruthDbContext.AfterCommit"/> queued once the context's transaction has committed, and
/// drops it when the transaction rolls back (or a new one starts: the previous one was disposed unfinished): a page hears of a change only once it is
/// there to be read.
/// </summary>
internal sealed class AfterCommitInterceptor : DbTransactionInterceptor
{
    public static readonly AfterCommitInterceptor Instance = new();

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Run(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Run(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Drop(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData);
        return Task.CompletedTask;
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        (eventData.Context as GroundTruthDbContext)?.Committed(run: false);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        (eventData.Context as GroundTruthDbContext)?.Committed(run: false);
        return ValueTask.FromResult(result);
    }

    private static void Run(TransactionEndEventData eventData) => (eventData.Context as GroundTruthDbContext)?.Committed(run: true);

    private static void Drop(TransactionEndEventData eventData) => (eventData.Context as GroundTruthDbContext)?.Committed(run: false);
}

using System.Text.Json;
using GroundTruth.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GroundTruth.Core.GroundTruths;

/// <summary>
/// Live updates across app nodes on one PostgreSQL database: a change is sent with <c>pg_notify</c> inside the
/// transaction that makes it, so PostgreSQL delivers it to every node's listener when — and only if — it commits. Each
/// node keeps one connection that LISTENs (opened with the first page that subscribes) and hands what arrives to its
/// own pages, the publishing node's included.
/// </summary>
public sealed class PostgresGroundTruthNotifier(IDbContextFactory<GroundTruthDbContext> factory, ILoggerFactory loggers)
    : IGroundTruthNotifier, IAsyncDisposable, IDisposable
{
    public const string Channel = "ground_truth_changed";

    // PostgreSQL refuses payloads of 8000 bytes or more; a change naming more tasks than fit says "any task" instead.
    private const int MaxPayload = 7900;

    private readonly InProcessGroundTruthNotifier _local = new(loggers.CreateLogger<InProcessGroundTruthNotifier>());
    private readonly ILogger _logger = loggers.CreateLogger<PostgresGroundTruthNotifier>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _listeningOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listening;

    public IDisposable Subscribe(long projectId, Func<GroundTruthChanged, Task> handler)
    {
        lock (_gate)
        {
            _listening ??= Task.Run(() => ListenAsync(_stop.Token));
        }
        var subscription = _local.Subscribe(projectId, handler);
        // The first page on this node waits (once, a few milliseconds) until LISTEN holds, so that a change committed
        // right after it subscribed is not missed; a database that does not answer delays it at most five seconds.
        _listeningOnce.Task.Wait(TimeSpan.FromSeconds(5));
        return subscription;
    }

    public async Task PublishAsync(GroundTruthDbContext db, GroundTruthChanged change, CancellationToken ct)
    {
        var payload = JsonSerializer.Serialize(change, JsonSerializerOptions.Web);
        if (System.Text.Encoding.UTF8.GetByteCount(payload) > MaxPayload)
        {
            payload = JsonSerializer.Serialize(change with { TaskIds = [] }, JsonSerializerOptions.Web);
        }
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", ct);
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        var listenedBefore = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                string connectionString;
                await using (var db = await factory.CreateDbContextAsync(stop))
                {
                    connectionString = db.Database.GetConnectionString()!;
                }
                // Its own connection, outside the pool: LISTEN belongs to a session, which the pool would reset.
                var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, e) => Deliver(e.Payload);
                await connection.OpenAsync(stop);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }
                _listeningOnce.TrySetResult();
                if (listenedBefore)
                {
                    // Listening again after a lost connection: what committed in between reached no page here, so
                    // every open page reloads (the notifications themselves are gone: PostgreSQL keeps none for us).
                    _local.DeliverMissedChanges();
                }
                listenedBefore = true;
                while (true)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The server restarted or the network dropped: listen again shortly, then tell the pages to reload.
                _logger.LogWarning(e, "Listening for ground-truth changes failed; retrying");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Deliver(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<GroundTruthChanged>(payload, JsonSerializerOptions.Web) is { } change)
            {
                _local.Deliver(change);
            }
        }
        catch (JsonException e)
        {
            _logger.LogWarning(e, "Ignored a ground-truth notification that is not one");
        }
    }

    // A container disposed synchronously (tests, tools) must not throw: stop listening without waiting for it.
    public void Dispose() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_listening is not null)
        {
            await _listening;
        }
        _stop.Dispose();
    }
}

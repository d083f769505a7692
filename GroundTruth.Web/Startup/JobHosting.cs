using GroundTruth.Core.Jobs;

namespace GroundTruth.Web.Startup;

/// <summary>Every node runs jobs: <c>GroundTruth:Jobs:LeaseSeconds</c>, <c>:Workers</c> and <c>:ChunkSize</c> tune it.</summary>
internal static class JobHosting
{
    public static IServiceCollection AddJobRunner(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("GroundTruth:Jobs");
        var defaults = new JobOptions();
        services.AddSingleton(defaults with
        {
            Lease = section.GetValue<double?>("LeaseSeconds") is { } lease ? TimeSpan.FromSeconds(lease) : defaults.Lease,
            Workers = section.GetValue<int?>("Workers") ?? defaults.Workers,
            ChunkSize = section.GetValue<int?>("ChunkSize"),
        });
        services.AddHostedService<JobHost>();
        return services;
    }

    private sealed class JobHost(JobRunner runner) : BackgroundService
    {
        // Off the start-up thread: the first claim must not hold up the host starting.
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => runner.RunAsync(stoppingToken), CancellationToken.None);
    }
}

using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Data.Postgres;
using GroundTruth.Core.Data.Sqlite;
using GroundTruth.Core.Demo;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Model;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Tasks;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GroundTruth.Core;

public static class CoreServices
{
    /// <summary>Registers an embedded SQLite database and every Core service.</summary>
    public static IServiceCollection AddGroundTruthCore(this IServiceCollection services, string sqliteConnectionString) =>
        services.AddGroundTruthCore(new DatabaseOptions(DatabaseProvider.Sqlite, sqliteConnectionString));

    /// <summary>
    /// Registers the database and every Core service. Services are singletons that open a context per operation; they
    /// ask for <see cref="GroundTruthDbContext"/> and get the provider's subclass, which brings its migrations and dialect.
    /// </summary>
    public static IServiceCollection AddGroundTruthCore(this IServiceCollection services, DatabaseOptions database)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddProvider<PostgresGroundTruthDbContext>(options => options.UseNpgsql(PostgresDialect.Tuned(database.ConnectionString)));
                // Several nodes may share the database: changes travel through it.
                services.TryAddSingleton<IGroundTruthNotifier, PostgresGroundTruthNotifier>();
                break;
            default:
                services.AddProvider<SqliteGroundTruthDbContext>(options => options.UseSqlite(database.ConnectionString).AddInterceptors(new SqliteConnectionSetup()));
                break;
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseHealth>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<GroundTruthService>();
        services.TryAddSingleton<IGroundTruthNotifier, InProcessGroundTruthNotifier>();
        services.AddSingleton<TaskQueryService>();
        services.AddSingleton<SavedViewService>();
        services.AddSingleton<LabelStudioImporter>();
        services.AddSingleton<LabelStudioExporter>();
        services.AddSingleton<DemoData>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<ProjectMemberService>();
        services.AddSingleton<Scoring.ScoringSettingsService>();
        services.AddSingleton<Scoring.ScoreStatisticsService>();
        services.TryAddSingleton(new Jobs.JobOptions());
        services.AddSingleton<Jobs.JobSignal>();
        services.AddSingleton<Jobs.JobService>();
        services.AddSingleton<Jobs.JobRunner>();
        services.AddSingleton<Jobs.IJobHandler, GroundTruths.SetGroundTruthsJob>();
        services.AddSingleton<Jobs.IJobHandler, GroundTruths.DeleteGroundTruthsJob>();
        services.AddSingleton<Jobs.IJobHandler, Scoring.RescoreJob>();
        services.AddSingleton<Jobs.IJobHandler, ImportJob>();
        services.AddSingleton<Jobs.IJobHandler, ExportJob>();
        services.AddSingleton<ExportSnapshotService>();
        services.AddScoped<AccountService>();
        services.AddIdentityCore<User>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
            })
            .AddRoles<IdentityRole<long>>()
            .AddEntityFrameworkStores<GroundTruthDbContext>();
        return services;
    }

    private static void AddProvider<TContext>(this IServiceCollection services, Action<DbContextOptionsBuilder> configure) where TContext : GroundTruthDbContext
    {
        services.AddDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<GroundTruthDbContext>, ContextFactory<TContext>>();
        // Identity's stores ask for the context itself, per scope.
        services.AddScoped<GroundTruthDbContext>(provider => provider.GetRequiredService<TContext>());
    }

    private sealed class ContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<GroundTruthDbContext> where TContext : GroundTruthDbContext
    {
        public GroundTruthDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<GroundTruthDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => await inner.CreateDbContextAsync(cancellationToken);
    }
}

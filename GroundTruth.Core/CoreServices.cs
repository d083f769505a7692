using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
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
    /// <summary>Registers the database and every Core service. Services are singletons that open a context per operation.</summary>
    public static IServiceCollection AddGroundTruthCore(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<GroundTruthDbContext>(options =>
            options.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSetup()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProjectService>();
        services.AddSingleton<GroundTruthService>();
        services.TryAddSingleton<GroundTruths.IGroundTruthNotifier, GroundTruths.InProcessGroundTruthNotifier>();
        services.AddSingleton<TaskQueryService>();
        services.AddSingleton<LabelStudioImporter>();
        services.AddSingleton<LabelStudioExporter>();
        services.AddSingleton<DemoData>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<ProjectMemberService>();
        services.AddSingleton<Scoring.ScoringSettingsService>();
        services.AddSingleton<Scoring.ScoreStatisticsService>();
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
}

using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Demo;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Web.Startup;

internal static class FirstRun
{
    /// <summary>
    /// Migrates the database, seeds the demo project and creates the first accounts. Returns false, having written one
    /// line to standard error that names the database file and what is wrong with it, when its storage is unusable
    /// (read-only, not a database, a full disk …), or that names the GroundTruth:Admin setting that cannot be used, or
    /// that says the stored keys need a certificate this node lacks (<see cref="KeyRing.ProblemAsync"/>): the caller
    /// exits with a non-zero code instead of a stack trace.
    /// </summary>
    public static async Task<bool> PrepareAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>();
        try
        {
            await DatabaseInitializer.InitializeAsync(factory);
            if (await KeyRing.ProblemAsync(app.Configuration, factory, app.Services.GetRequiredService<TimeProvider>()) is { } keys)
            {
                await Console.Error.WriteLineAsync($"GroundTruth cannot start: {keys}");
                return false;
            }
            if (app.Configuration.GetValue("GroundTruth:SeedDemoData", true))
            {
                await app.Services.GetRequiredService<DemoData>().SeedIfEmptyAsync();
            }
            using var scope = app.Services.CreateScope();
            var admin = app.Configuration.GetSection("GroundTruth:Admin");
            var demoUsers = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .FirstRunAsync(new AdminSetup(admin["Email"], admin["Password"], admin["Token"]), app.Environment.IsDevelopment());
            foreach (var (email, password, role) in demoUsers)
            {
                // Printed once, on the run that creates them; only the hash is stored.
                Console.WriteLine($"Demo {role,-13} sign in as {email} with password {password}");
            }
            return true;
        }
        catch (Exception e) when (StorageFaults.Describe(e) is { } problem)
        {
            await using var db = await factory.CreateDbContextAsync();
            await Console.Error.WriteLineAsync($"GroundTruth cannot start: the database {db.Dialect.Describe(db.Database.GetConnectionString()!)} {problem}.");
            return false;
        }
        catch (Core.BadInputException e)
        {
            // A first administrator the settings describe wrongly (a weak password, a short token): say which setting.
            await Console.Error.WriteLineAsync($"GroundTruth cannot start: GroundTruth:Admin is not usable: {e.Message}");
            return false;
        }
    }
}

using GroundTruth.Core.Data;

namespace GroundTruth.Web.Startup;

internal static class DatabaseSettings
{
    /// <summary>
    /// <c>GroundTruth:Database:Provider</c> (<c>Sqlite</c>, the default, or <c>Postgres</c>) and
    /// <c>ConnectionStrings:GroundTruth</c>; on SQLite without a connection string, <c>App_Data/groundtruth.db</c>.
    /// </summary>
    public static DatabaseOptions From(IConfiguration configuration, IHostEnvironment environment)
    {
        var name = configuration["GroundTruth:Database:Provider"];
        var provider = string.IsNullOrWhiteSpace(name) ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
            : throw new InvalidOperationException($"GroundTruth:Database:Provider is '{name}'; use Sqlite or Postgres.");
        var connectionString = configuration.GetConnectionString("GroundTruth");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? $"Data Source={Path.Combine(environment.ContentRootPath, "App_Data", "groundtruth.db")}"
                : throw new InvalidOperationException("ConnectionStrings:GroundTruth is required with the Postgres provider, e.g. Host=localhost;Database=groundtruth;Username=groundtruth;Password=….");
        }
        return new DatabaseOptions(provider, connectionString);
    }
}

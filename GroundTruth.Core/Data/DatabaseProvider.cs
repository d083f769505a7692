namespace GroundTruth.Core.Data;

/// <summary>Where the data lives: <c>GroundTruth:Database:Provider</c>, SQLite unless set.</summary>
public enum DatabaseProvider
{
    /// <summary>One embedded file: <c>dotnet run</c> needs nothing else.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: several app nodes, a managed database, writes that do not queue behind one lock.</summary>
    Postgres,
}

/// <summary>The provider and its connection string (<c>ConnectionStrings:GroundTruth</c>).</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString);

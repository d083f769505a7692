using GroundTruth.Core.Data;

namespace GroundTruth.Tests.Support;

/// <summary>
/// A test about one provider's own storage (a SQLite file's permissions, an upgrade through SQLite's old migrations):
/// it runs in that provider's run and is skipped, with <paramref name="because"/>, in the other.
/// </summary>
public sealed class OnlyOnAttribute : FactAttribute
{
    public OnlyOnAttribute(DatabaseProvider provider, string because)
    {
        if (TestStore.Provider != provider)
        {
            Skip = $"{provider} only: {because}";
        }
    }
}

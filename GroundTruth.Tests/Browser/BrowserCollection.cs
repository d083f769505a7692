namespace GroundTruth.Tests.Browser;

/// <summary>
/// Chromium tests run one at a time and after the rest: next to bUnit and database tests on a 2-core CI machine, a
/// page could wait long enough for a click to land mid-render or a navigation to time out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}

using System.Runtime.CompilerServices;
using Bunit;

namespace GroundTruth.Tests.Support;

internal static class TestSettings
{
    /// <summary>
    /// bUnit waits 1 s by default for a page to settle; with every test class running in parallel against real SQLite
    /// files, a page's database round trip sometimes takes longer. A wait only returns early, so passing tests stay fast.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(5);
}

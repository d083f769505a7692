using System.Text.Json.Nodes;
using GroundTruth.Core.Demo;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Api;

/// <summary>What <c>dotnet run --project GroundTruth.Web</c> does on an empty database: it starts, with the demo project.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task An_empty_database_starts_with_the_demo_project_imported()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string> { ["GroundTruth:SeedDemoData"] = "true" });
        // Start-up imports the demo before the host runs: a wait on a job runner that has not started would hang here.
        using var client = await Task.Run(factory.AdminClient).WaitAsync(TimeSpan.FromMinutes(2));
        var projects = JsonNode.Parse(await client.GetStringAsync("/api/projects"))!;
        var demo = projects["results"]!.AsArray().Single()!;
        Assert.Equal(DemoData.ProjectTitle, demo["title"]!.GetValue<string>());
        Assert.Equal(200, demo["task_number"]!.GetValue<int>());
        // Label Studio's schema types this count as a string.
        Assert.True(int.Parse(demo["total_annotations_number"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > 600);
    }
}

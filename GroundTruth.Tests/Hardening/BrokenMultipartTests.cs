using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Hardening;

/// <summary>A multipart upload that cannot be read is a 400 that says the body is broken, and nothing is imported.</summary>
public sealed class BrokenMultipartTests() : ApiProjectTest(new ApiFactory(), Fixtures.Tasks(1, "a@x.org"))
{
    private static readonly string Tasks = Fixtures.Tasks(2, "a@x.org");

    public static IEnumerable<object[]> Bodies() =>
    [
        ["the boundary never appears", "b1", Tasks],
        ["a 100-character boundary", new string('b', 100), $"--{new string('b', 100)}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.json\"\r\n\r\n{Tasks}\r\n--{new string('b', 100)}--\r\n"],
        ["the closing boundary is missing", "b2", $"--b2\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.json\"\r\n\r\n{Tasks}"],
        ["the part's headers never end", "b3", "--b3\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.json\""],
        ["a header line of 20,000 characters", "b4", $"--b4\r\nX-Long: {new string('x', 20_000)}\r\n\r\n{Tasks}\r\n--b4--\r\n"],
        ["an empty body", "b5", ""],
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_broken_multipart_body_is_a_400_that_says_so(string name, string boundary, string body)
    {
        var before = await SnapshotAsync();
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");

        var problem = await EverythingReads.ExpectAsync(await Admin.PostAsync($"/api/projects/{Project}/import", content), HttpStatusCode.BadRequest);

        Assert.True(problem["detail"]!.GetValue<string>().Contains("multipart", StringComparison.OrdinalIgnoreCase), $"{name}: {problem}");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_well_formed_upload_still_imports()
    {
        using var form = new MultipartFormDataContent("good-boundary") { { new StringContent(Tasks, Encoding.UTF8, "application/json"), "file", "tasks.json" } };
        var result = await EverythingReads.ExpectAsync(await Admin.PostAsync($"/api/projects/{Project}/import", form), HttpStatusCode.OK);
        Assert.Equal(2, result["task_count"]!.GetValue<int>());
    }
}

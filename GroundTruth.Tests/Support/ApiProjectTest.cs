namespace GroundTruth.Tests.Support;

/// <summary>A test class over the real app (<see cref="ApiFactory"/>) with an administrator's client and one project of a few tasks.</summary>
public abstract class ApiProjectTest(ApiFactory factory, string tasks) : IAsyncLifetime
{
    protected ApiProjectTest()
        : this(new ApiFactory(), Fixtures.Tasks(2, "a@x.org", "b@x.org"))
    {
    }

    protected ApiFactory Factory { get; } = factory;
    protected HttpClient Admin { get; private set; } = null!;
    protected long Project { get; private set; }

    public virtual async Task InitializeAsync()
    {
        Admin = Factory.AdminClient();
        Project = await Factory.CreateProjectAsync(GetType().Name, tasks);
    }

    public virtual async Task DisposeAsync()
    {
        Admin.Dispose();
        await Factory.DisposeAsync();
    }

    protected Task<string> SnapshotAsync() => Factory.SnapshotAsync();
}

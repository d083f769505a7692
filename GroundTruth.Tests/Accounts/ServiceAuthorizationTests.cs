using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Model;
using GroundTruth.Core.Scoring;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Accounts;

/// <summary>The same rules as the API matrix, enforced by the Core services themselves, without HTTP.</summary>
public sealed class ServiceAuthorizationTests : IAsyncLifetime
{
    private static readonly string[] Roles = ["annotator", "reviewer", "manager", "administrator", "other"];
    private readonly TestDatabase _db = new();
    private readonly Dictionary<string, Actor> _actors = [];
    private long _projectA;
    private long _taskA;
    private long _annotationA;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _projectA = await _db.SeedAsync(2, "annotator@test.local", "reviewer@test.local");
        var projectB = await _db.NewProjectAsync("B");
        _taskA = (await _db.TasksAsync(_projectA))[0].Id;
        _annotationA = (await _db.AnnotationsAsync(_projectA))[0].Id;
        using var scope = _db.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var members = _db.Services.GetRequiredService<ProjectMemberService>();
        foreach (var (name, role, project) in new[] { ("annotator", Role.Annotator, _projectA), ("reviewer", Role.Reviewer, _projectA), ("manager", Role.Manager, _projectA), ("administrator", Role.Administrator, projectB), ("other", Role.Manager, projectB) })
        {
            var user = await accounts.CreateUserAsync(Actor.System, $"{name}@test.local", "Password-1234", role);
            _actors[name] = new Actor(user.Id, user.Email, user.Role);
            await members.AddAsync(Actor.System, project, user.Email);
        }
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    //                   annotator reviewer manager administrator other
    [Theory]
    [InlineData("see project", "ok ok ok ok 404")]
    [InlineData("create project", "403 403 ok ok ok")]
    [InlineData("list tasks", "ok ok ok ok 404")]
    [InlineData("see task", "ok ok ok ok 404")]
    [InlineData("see annotation", "ok ok ok ok 404")]
    [InlineData("see history", "403 ok ok ok 404")]
    [InlineData("set ground truth", "403 ok ok ok 404")]
    [InlineData("unset ground truth", "403 ok ok ok 404")]
    [InlineData("set by annotator", "403 403 ok ok 404")]
    [InlineData("delete ground truths", "403 403 ok ok 404")]
    [InlineData("import", "403 403 ok ok 404")]
    [InlineData("export", "403 403 ok ok 404")]
    [InlineData("list members", "ok ok ok ok 404")]
    [InlineData("add member", "403 403 ok ok 404")]
    [InlineData("agreement matrix", "ok ok ok ok 404")]
    [InlineData("annotator accuracy", "403 ok ok ok 404")]
    [InlineData("model accuracy", "403 ok ok ok 404")]
    [InlineData("inter-annotator agreement", "403 ok ok ok 404")]
    [InlineData("confusion matrix", "403 ok ok ok 404")]
    [InlineData("see scoring settings", "ok ok ok ok 404")]
    [InlineData("change scoring settings", "403 403 ok ok 404")]
    [InlineData("list users", "403 403 403 ok 403")]
    [InlineData("create user", "403 403 403 ok 403")]
    public async Task Each_operation_checks_the_actor(string operation, string expected)
    {
        var outcomes = new List<string>();
        foreach (var role in Roles)
        {
            outcomes.Add(await OutcomeAsync(() => RunAsync(operation, _actors[role], role)));
        }
        Assert.Equal(expected, string.Join(' ', outcomes));
    }

    [Fact]
    public async Task Projects_list_only_what_the_actor_belongs_to()
    {
        Assert.Equal([_projectA], (await _db.Projects.ListAsync(_actors["annotator"])).Select(p => p.Id));
        Assert.Equal(2, (await _db.Projects.ListAsync(_actors["administrator"])).Count);
    }

    [Fact]
    public async Task A_refused_change_leaves_the_database_as_it_was()
    {
        var before = await _db.SnapshotAsync();
        await Assert.ThrowsAsync<ForbiddenException>(() => _db.GroundTruths.SetAsync(_actors["annotator"], _annotationA, ChangeSource.Review));
        await Assert.ThrowsAsync<NotFoundException>(() => _db.GroundTruths.SetAsync(_actors["other"], _annotationA, ChangeSource.Review));
        Assert.Equal(before, await _db.SnapshotAsync());
    }

    private static async Task<string> OutcomeAsync(Func<Task> action)
    {
        try
        {
            await action();
            return "ok";
        }
        catch (ForbiddenException)
        {
            return "403";
        }
        catch (NotFoundException)
        {
            return "404";
        }
    }

    private async Task RunAsync(string operation, Actor actor, string role)
    {
        var nothing = new TaskSelection(false, []);
        switch (operation)
        {
            case "see project": await _db.Projects.GetAsync(actor, _projectA); break;
            case "create project": await _db.Projects.CreateAsync(actor, "new"); break;
            case "list tasks": await _db.Tasks.GetPageAsync(actor, _projectA, null, 1, 10); break;
            case "see task": await _db.Tasks.GetTaskAsync(actor, _taskA); break;
            case "see annotation": await _db.Tasks.GetAnnotationAsync(actor, _annotationA); break;
            case "see history": await _db.GroundTruths.HistoryAsync(actor, _taskA); break;
            case "set ground truth": await _db.GroundTruths.SetAsync(actor, _annotationA, ChangeSource.Review); break;
            case "unset ground truth": await _db.GroundTruths.UnsetAsync(actor, _annotationA, ChangeSource.Review); break;
            case "set by annotator": await _db.GroundTruths.SetByAnnotatorAsync(actor, _projectA, null, TaskSelection.Everything, await _db.MemberIdAsync("reviewer@test.local"), dryRun: true); break;
            case "delete ground truths": await _db.GroundTruths.DeleteAsync(actor, _projectA, null, nothing); break;
            case "import": await _db.Importer.ImportAsync(actor, _projectA, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Fixtures.Tasks(1)))); break;
            case "export": await _db.Exporter.ExportAsync(actor, _projectA, new MemoryStream()); break;
            case "list members": await _db.Services.GetRequiredService<ProjectMemberService>().ListAsync(actor, _projectA); break;
            case "add member": await _db.Services.GetRequiredService<ProjectMemberService>().AddAsync(actor, _projectA, "reviewer@test.local"); break;
            case "agreement matrix": await _db.Services.GetRequiredService<ScoreStatisticsService>().AgreementMatrixAsync(actor, _projectA, _taskA); break;
            case "annotator accuracy": await _db.Services.GetRequiredService<ScoreStatisticsService>().AnnotatorAccuracyAsync(actor, _projectA); break;
            case "model accuracy": await _db.Services.GetRequiredService<ScoreStatisticsService>().ModelAccuracyAsync(actor, _projectA, "v1"); break;
            case "inter-annotator agreement": await _db.Services.GetRequiredService<ScoreStatisticsService>().InterAnnotatorAgreementAsync(actor, _projectA, "sentiment"); break;
            case "confusion matrix": await _db.Services.GetRequiredService<ScoreStatisticsService>().ConfusionMatrixAsync(actor, _projectA, "sentiment"); break;
            case "see scoring settings": await _db.Services.GetRequiredService<ScoringSettingsService>().GetAsync(actor, _projectA); break;
            case "change scoring settings":
                var scoring = _db.Services.GetRequiredService<ScoringSettingsService>();
                await scoring.UpdateAsync(actor, _projectA, ScoringSettings.Default);
                await scoring.WhenIdleAsync(_projectA);
                break;
            case "list users" or "create user":
                using (var scope = _db.Services.CreateScope())
                {
                    var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
                    _ = operation == "list users"
                        ? await accounts.ListUsersAsync(actor)
                        : [await accounts.CreateUserAsync(actor, $"made-by-{role}@test.local", "Password-1234", Role.Annotator)];
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }
}

using Bunit;
using GroundTruth.Core;
using GroundTruth.Tests.Support;
using GroundTruth.Web.Components;
using GroundTruth.Web.Components.DataManager;
using GroundTruth.Web.Components.Pages;
using GroundTruth.Web.Components.Scores;
using GroundTruth.Web.Components.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GroundTruth.Tests.Hardening;

/// <summary>
/// Pages handle Core's errors in one place (<see cref="PageErrors"/>): a failure a user causes becomes a snackbar with
/// Core's message, and the circuit lives on — the next click still works.
/// </summary>
public sealed class PageErrorTests : IAsyncLifetime
{
    private readonly PageWorld _world = new();
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    public async Task InitializeAsync()
    {
        await _world.InitializeAsync();
        _snackbars = _world.Context.Render<MudSnackbarProvider>();
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    private Task<IRenderedComponent<Review>> OpenAsync(string task) => _world.OpenReviewAsync(task);

    private async Task CancelAnnotationAsync(string task, int index)
    {
        var taskId = await _world.TaskIdAsync(task);
        await using var db = _world.Db.Context();
        var id = await db.Annotations.Where(a => a.TaskId == taskId).OrderBy(a => a.Id).Select(a => a.Id).Skip(index).FirstAsync();
        // Behind the page's back, as another reviewer's import or a script could: the page still offers the star.
        await db.Database.ExecuteSqlAsync($"UPDATE annotations SET ground_truth = FALSE, was_cancelled = TRUE WHERE id = {id}");
    }

    [Fact]
    public async Task Starring_an_annotation_cancelled_meanwhile_says_why_and_the_page_keeps_working()
    {
        var page = await OpenAsync("split");
        await CancelAnnotationAsync("split", 1);

        // Found and clicked in one step: the page may still be re-rendering after loading the task's neighbours.
        await page.InvokeAsync(() => page.FindAll("button[aria-label='Ground truth']")[1].Click());

        _snackbars.WaitForAssertion(() => Assert.Contains("cancelled", _snackbars.Markup, StringComparison.OrdinalIgnoreCase));
        // The page reloaded the task: the star is now disabled, and another star still works.
        page.WaitForAssertion(() => Assert.True(page.FindAll("button[aria-label='Ground truth']")[1].HasAttribute("disabled")));
        await page.InvokeAsync(() => page.FindAll("button[aria-label='Ground truth']")[0].Click());
        page.WaitForAssertion(() => Assert.Equal("true", page.FindAll("button[aria-label='Ground truth']")[0].GetAttribute("aria-pressed")));
    }

    [Fact]
    public async Task An_undo_that_cannot_be_applied_says_why_instead_of_ending_the_circuit()
    {
        var page = await OpenAsync("agreed");
        // Each click finds its button in the same step: CI found a star's handler replaced by a render in between.
        await page.InvokeAsync(() => page.FindAll("button[aria-label='Ground truth']")[1].Click());
        page.WaitForAssertion(() => Assert.Equal("true", page.FindAll("button[aria-label='Ground truth']")[1].GetAttribute("aria-pressed")));
        // The previous ground truth (a's) is cancelled before Undo tries to put it back.
        await CancelAnnotationAsync("agreed", 0);

        const string undo = "button.mud-snackbar-action-button, .mud-snackbar button";
        _snackbars.WaitForElement(undo);
        await _snackbars.InvokeAsync(() => _snackbars.Find(undo).Click());

        _snackbars.WaitForAssertion(() => Assert.Contains("cancelled", _snackbars.Markup, StringComparison.OrdinalIgnoreCase));
        await page.InvokeAsync(() => page.FindAll("button[aria-label='Ground truth']")[1].Click());
        page.WaitForAssertion(() => Assert.Equal("false", page.FindAll("button[aria-label='Ground truth']")[1].GetAttribute("aria-pressed")));
    }

    [Fact]
    public void An_agreement_popover_for_a_task_that_is_gone_says_so()
    {
        _world.Context.Render<AgreementPopover>(p => p.Add(x => x.Actor, _world.Admin).Add(x => x.ProjectId, _world.Project).Add(x => x.TaskId, 987654));

        _snackbars.WaitForAssertion(() => Assert.Contains("Task 987654 was not found", _snackbars.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_project_title_that_is_too_long_is_named_and_the_page_keeps_it_for_correcting()
    {
        await using (var db = _world.Db.Context())
        {
            // The world's administrator as an account, so that the project they create can list them as its member.
            db.Users.Add(new GroundTruth.Core.Model.User { Id = _world.Admin.UserId, UserName = _world.Admin.Email, Email = _world.Admin.Email, DisplayName = "Admin" });
            await db.SaveChangesAsync();
        }
        var home = _world.Context.Render<Home>();
        home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=project-title]")));

        home.Find("input[data-testid=new-project-title]").Input(new string('t', 201));
        await home.InvokeAsync(() => home.FindAll("button").Single(b => b.TextContent.Contains("New project", StringComparison.Ordinal)).Click());

        _snackbars.WaitForAssertion(() => Assert.Contains("A project needs a title of 1 to 200 characters.", _snackbars.Markup, StringComparison.Ordinal));
        Assert.Equal(new string('t', 201), home.Find("input[data-testid=new-project-title]").GetAttribute("value"));
        home.Find("input[data-testid=new-project-title]").Input("Short enough");
        await home.InvokeAsync(() => home.FindAll("button").Single(b => b.TextContent.Contains("New project", StringComparison.Ordinal)).Click());
        home.WaitForAssertion(() => Assert.Contains(home.FindAll("[data-testid=project-title]"), t => t.TextContent == "Short enough"));
    }

    [Fact]
    public void Errors_are_described_by_what_a_user_can_do_about_them()
    {
        var errors = _world.Context.Services.GetRequiredService<PageErrors>();

        Assert.Equal("Task 5 was not found.", errors.Describe(new NotFoundException("Task", 5)));
        var busy = errors.Describe(new Microsoft.EntityFrameworkCore.DbUpdateException("wrapped", new SqliteException("database is locked", 5)));
        Assert.Contains("busy", busy, StringComparison.Ordinal);
        Assert.Contains("Try again", busy, StringComparison.Ordinal);
        Assert.Contains("storage is full", errors.Describe(new SqliteException("database or disk is full", 13)), StringComparison.Ordinal);
        // A bug is logged, and the user is told no more than that.
        Assert.Equal(PageErrors.Unexpected, errors.Describe(new InvalidOperationException("a bug's internals")));
    }
}

using GroundTruth.Core.Accounts;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Core.Tasks;
using MudBlazor;

namespace GroundTruth.Web.Components.Review;

/// <summary>
/// The review page's star: makes an annotation the ground truth (moving it from another) or removes it, says so, and
/// offers Undo, which restores the ground truth the task had before. One per open review page.
/// </summary>
/// <param name="reload">Shows the task as it now is.</param>
/// <param name="invoke">Runs work on the page's renderer (Undo is clicked from a snackbar, outside the page's events).</param>
public sealed class GroundTruthStar(GroundTruthService groundTruths, ISnackbar snackbar, PageErrors errors, Actor actor, Func<Task> reload,
    Func<Func<Task>, Task> invoke)
{
    private bool _busy;

    /// <summary>When this page last changed a ground truth: the change notification that follows is not news to its user.</summary>
    public DateTime LastChangeAt { get; private set; }

    /// <param name="previous">The task's ground-truth annotation before this change, for Undo.</param>
    public async Task ToggleAsync(AnnotationView annotation, long? previous)
    {
        // Ignored while a change is being saved, rather than disabling the star: a disabled button loses the keyboard
        // focus, and the page's shortcuts with it.
        if (_busy)
        {
            return;
        }
        _busy = true;
        LastChangeAt = DateTime.UtcNow;
        var saved = await errors.RunAsync(async () =>
        {
            if (annotation.GroundTruth)
            {
                await groundTruths.UnsetAsync(actor, annotation.Id, ChangeSource.Review);
            }
            else
            {
                await groundTruths.SetAsync(actor, annotation.Id, ChangeSource.Review);
            }
        });
        _busy = false;
        await reload();
        if (!saved)
        {
            return;
        }
        var message = annotation.GroundTruth ? $"Removed the ground truth from {annotation.CompletedBy.DisplayName}'s annotation."
            : $"{annotation.CompletedBy.DisplayName}'s annotation is the ground truth.";
        snackbar.Add(message, Severity.Success, options =>
        {
            options.Action = "Undo";
            options.OnClick = _ => invoke(async () =>
            {
                await errors.RunAsync(async () =>
                {
                    if (previous is { } earlier)
                    {
                        await groundTruths.SetAsync(actor, earlier, ChangeSource.Review);
                    }
                    else if (!annotation.GroundTruth)
                    {
                        await groundTruths.UnsetAsync(actor, annotation.Id, ChangeSource.Review);
                    }
                });
                await reload();
            });
        });
    }
}

using GroundTruth.Core.Model;
using GroundTruth.Core.Tasks;

namespace GroundTruth.Core.Accounts;

/// <summary>
/// What an annotator may learn about ground truths, the one rule every read applies (API, grid, popover, review page,
/// statistics). Reviewers and up see everything. An annotator sees whether a task has a ground truth and their own
/// accuracy — never which annotation is the ground truth (not even when it is their own: their accuracy then reads
/// 100 %, which it is), nobody else's accuracy, a prediction's accuracy, the task's lowest accuracy, or the history.
/// </summary>
public static class GroundTruthVisibility
{
    /// <summary>The filter and sort column that would rank tasks by other people's accuracy.</summary>
    private const string AccuracyColumn = "tasks:accuracy";

    public static bool SeesGroundTruth(Actor actor) => actor.IsAtLeast(Role.Reviewer);

    /// <summary>Refuses (403) a query that filters or sorts an annotator's tasks by accuracy.</summary>
    public static void EnsureQueryAllowed(Actor actor, TaskQuery? query)
    {
        if (SeesGroundTruth(actor) || query is null)
        {
            return;
        }
        var filtersByAccuracy = query.Filters?.Items?.Any(i => i?.Filter == "filter:" + AccuracyColumn) == true;
        var sortsByAccuracy = query.Ordering?.Any(o => o?.TrimStart('-') == AccuracyColumn) == true;
        if (filtersByAccuracy || sortsByAccuracy)
        {
            throw new ForbiddenException(Role.Reviewer, "filter or sort tasks by accuracy");
        }
    }
}

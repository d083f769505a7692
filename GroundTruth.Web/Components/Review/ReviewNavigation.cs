using GroundTruth.Core.Tasks;
using GroundTruth.Web.Components.Tasks;
using Microsoft.AspNetCore.Components;

namespace GroundTruth.Web.Components.Review;

/// <summary>
/// Where the review page of one task leads: previous and next in the Data Manager's filter and order, and back to the
/// grid with its view. A new one per task, so previous/next never follow the last task's neighbours.
/// </summary>
public sealed class ReviewNavigation(NavigationManager navigation, long projectId, DataManagerView view)
{
    /// <summary>An arrow pressed while the neighbours load: taken once they are known rather than lost.</summary>
    private string? _pendingStep;

    /// <summary>The tasks before and after this one; null while they load.</summary>
    public TaskNeighbours? Neighbours { get; private set; }

    public void NeighboursLoaded(TaskNeighbours neighbours)
    {
        Neighbours = neighbours;
        if (_pendingStep is { } step)
        {
            _pendingStep = null;
            Step(step);
        }
    }

    /// <param name="direction"><see cref="ReviewShortcuts.Previous"/> or <see cref="ReviewShortcuts.Next"/>.</param>
    public void Step(string direction)
    {
        if (Neighbours is null)
        {
            _pendingStep = direction;
        }
        else if ((direction == ReviewShortcuts.Previous ? Neighbours.Previous : Neighbours.Next) is { } taskId)
        {
            navigation.NavigateTo(WithView($"/projects/{projectId}/tasks/{taskId}"));
        }
    }

    public void Back() => navigation.NavigateTo(WithView($"/projects/{projectId}/data"));

    private string WithView(string path) => navigation.GetUriWithQueryParameters(path, view.ToParameters());
}

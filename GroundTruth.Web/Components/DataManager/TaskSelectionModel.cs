using GroundTruth.Core.Tasks;

namespace GroundTruth.Web.Components.DataManager;

/// <summary>
/// The grid's selection in Label Studio's model: either the ids ticked (<c>{all: false, included}</c>), or every task
/// matching the filter except the ids unticked afterwards (<c>{all: true, excluded}</c>). Only ids are kept, so
/// "all of a million" costs nothing.
/// </summary>
public sealed class TaskSelectionModel
{
    private readonly HashSet<long> _ids = [];

    /// <summary>True after "Select all N tasks matching the filter": the ids kept are then the excluded ones.</summary>
    public bool All { get; private set; }

    /// <summary>How many tasks match the filter; the count of an "all" selection is this minus the excluded.</summary>
    public int Matching { get; set; }

    public int Count => All ? Math.Max(0, Matching - _ids.Count) : _ids.Count;

    public bool IsEmpty => Count == 0;

    public bool IsSelected(long id) => All ? !_ids.Contains(id) : _ids.Contains(id);

    public void Set(long id, bool selected)
    {
        // In "all" mode the set holds exclusions, so selecting removes and unselecting adds.
        if (selected == All)
        {
            _ids.Remove(id);
        }
        else
        {
            _ids.Add(id);
        }
    }

    public void SetPage(IEnumerable<long> ids, bool selected)
    {
        foreach (var id in ids)
        {
            Set(id, selected);
        }
    }

    /// <summary>True when every row of the page is selected, false when none is, null for some.</summary>
    public bool? PageState(IReadOnlyCollection<long> ids)
    {
        var selected = ids.Count(IsSelected);
        return selected == 0 ? false : selected == ids.Count ? true : null;
    }

    public void SelectAll()
    {
        All = true;
        _ids.Clear();
    }

    public void Clear()
    {
        All = false;
        _ids.Clear();
    }

    /// <summary>The ids the selection names: the selected ones, or in "all" mode the excluded ones.</summary>
    public IReadOnlyCollection<long> Ids => _ids;

    /// <summary>
    /// Forgets the named ids that no longer match the filter (after a bulk action moved them out of the view), so the
    /// count and the Actions button follow what the action did.
    /// </summary>
    public void Retain(IEnumerable<long> stillMatching) => _ids.IntersectWith(stillMatching);

    /// <summary>The selection as the task query and the bulk actions take it.</summary>
    public TaskSelection ToSelection() => All ? new TaskSelection(true, Excluded: [.. _ids]) : new TaskSelection(false, Included: [.. _ids]);
}

using GroundTruth.Web.Components.DataManager;
using GroundTruth.Web.Components.Scores;
using GroundTruth.Web.Components.Tasks;

namespace GroundTruth.Tests.Components;

/// <summary>Label Studio's selection model: ticked ids, or all matching tasks minus the unticked ones.</summary>
public sealed class TaskSelectionModelTests
{
    [Fact]
    public void Ticked_rows_are_included()
    {
        var selection = new TaskSelectionModel { Matching = 1000 };
        selection.Set(3, true);
        selection.Set(5, true);
        selection.Set(3, false);

        Assert.Equal(1, selection.Count);
        var sent = selection.ToSelection();
        Assert.False(sent.All);
        Assert.Equal([5L], sent.Included!);
    }

    [Fact]
    public void Rows_that_left_the_view_leave_the_selection()
    {
        // Ticked 3, 5, 7; a bulk action moved 5 and 7 out of the filter.
        var ticked = new TaskSelectionModel { Matching = 10 };
        ticked.SetPage([3, 5, 7], true);
        ticked.Retain([3, 9]);
        Assert.Equal(1, ticked.Count);
        Assert.Equal([3L], ticked.ToSelection().Included!);

        // All matching but 4: 4 left the view, and the new total (8) no longer counts it out.
        var all = new TaskSelectionModel { Matching = 10 };
        all.SelectAll();
        all.Set(4, false);
        all.Retain([]);
        all.Matching = 8;
        Assert.Equal(8, all.Count);
    }

    [Fact]
    public void All_matching_minus_unticked_rows_is_all_with_exclusions()
    {
        var selection = new TaskSelectionModel { Matching = 1_000_000 };
        selection.SetPage([1, 2, 3], true);
        selection.SelectAll();
        selection.Set(2, false);
        selection.Set(9, false);
        selection.Set(9, true);

        Assert.Equal(999_999, selection.Count);
        Assert.False(selection.IsSelected(2));
        Assert.True(selection.IsSelected(424_242));
        var sent = selection.ToSelection();
        Assert.True(sent.All);
        Assert.Equal([2L], sent.Excluded!);
        Assert.Null(sent.Included);
    }

    [Fact]
    public void The_page_checkbox_reads_all_some_or_none()
    {
        var selection = new TaskSelectionModel { Matching = 10 };
        long[] page = [1, 2, 3];
        Assert.False(selection.PageState(page));
        selection.Set(2, true);
        Assert.Null(selection.PageState(page));
        selection.SetPage(page, true);
        Assert.True(selection.PageState(page));
        selection.SetPage(page, false);
        Assert.False(selection.PageState(page));
        Assert.True(selection.IsEmpty);
    }

    [Fact]
    public void Clearing_leaves_nothing_selected_even_after_select_all()
    {
        var selection = new TaskSelectionModel { Matching = 50 };
        selection.SelectAll();
        selection.Clear();
        Assert.Equal(0, selection.Count);
        var sent = selection.ToSelection();
        Assert.False(sent.All);
        Assert.Empty(sent.Included!);
    }
}

using System.Collections.Frozen;
using System.Net;
using System.Text;
using GroundTruth.Core.Tasks;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GroundTruth.Web.Components.DataManager;

/// <summary>
/// The grid's cells that only show something, as HTML: the grid renders a run of them as one markup frame instead of
/// several render-tree frames a cell. An open grid keeps its render tree between renders — twice, for diffing, and
/// again in the renderer's batch buffers — so frames were most of what an idle grid held a row (see the memory
/// benchmark). Every value is HTML-encoded here; the cells that react to the user (the row's box, the agreement chip)
/// stay components and elements of TaskGrid.
/// </summary>
public static class TaskRowMarkup
{
    /// <summary>The columns TaskGrid draws itself, because they react to the pointer or keyboard.</summary>
    public static bool IsInteractive(TaskColumn column) => column.Name == "agreement";

    private static readonly FrozenDictionary<string, string> ClassesByName = TaskColumns.InGrid.ToFrozenDictionary(c => c.Name,
        c => c.Grid == GridPlacement.Pinned ? $"mud-table-cell col-{c.Name} pin pin-{c.Name}" : $"mud-table-cell col-{c.Name}");

    /// <summary>
    /// A cell's classes: col-&lt;name&gt; is what the widths a user dragged apply to (TaskGrid.razor.js), pin-&lt;name&gt;
    /// places a pinned one. One string a column, shared by every row.
    /// </summary>
    public static string Classes(TaskColumn column) => ClassesByName[column.Name];

    /// <summary>The columns split into runs of showing cells and the interactive ones between them (a run of one, flagged).</summary>
    public static IReadOnlyList<(bool Interactive, IReadOnlyList<TaskColumn> Columns)> Runs(IEnumerable<TaskColumn> columns)
    {
        var runs = new List<(bool, IReadOnlyList<TaskColumn>)>();
        List<TaskColumn>? run = null;
        foreach (var column in columns)
        {
            if (IsInteractive(column))
            {
                runs.Add((true, [column]));
                run = null;
            }
            else if (run is null)
            {
                runs.Add((false, run = [column]));
            }
            else
            {
                run.Add(column);
            }
        }
        return runs;
    }

    /// <summary>The task's cells of these columns, each a <c>td</c>.</summary>
    public static MarkupString Cells(IReadOnlyList<TaskColumn> columns, TaskRow task)
    {
        var html = new StringBuilder(96 * columns.Count);
        foreach (var column in columns)
        {
            html.Append("<td class=\"").Append(Classes(column)).Append("\">");
            Content(html, column.Name, task);
            html.Append("</td>");
        }
        return new MarkupString(html.ToString());
    }

    private static void Content(StringBuilder html, string column, TaskRow task)
    {
        switch (column)
        {
            case "id": html.Append(task.Id); break;
            case "inner_id": html.Append(task.InnerId); break;
            case "ground_truth" when task.GroundTruth:
                html.Append("""<svg class="mud-icon-root mud-svg-icon mud-warning-text mud-icon-size-medium" focusable="false" viewBox="0 0 24 24" aria-label="Ground truth" role="img">""")
                    .Append(Icons.Material.Filled.Star).Append("</svg>");
                break;
            case "accuracy": Text(html, task.Accuracy?.ToString("P0")); break;
            case "data": Data(html, TaskPreview.Of(task.Data)); break;
            case "total_annotations": html.Append(task.TotalAnnotations); break;
            case "cancelled_annotations": html.Append(task.CancelledAnnotations); break;
            case "total_predictions": html.Append(task.TotalPredictions); break;
            case "annotators":
                // MudAvatar's look, names in the native tooltip.
                foreach (var annotator in task.Annotators)
                {
                    html.Append("<span class=\"mud-avatar mud-avatar-small mud-avatar-rounded mud-avatar-filled mud-avatar-filled-default mr-1\" title=\"");
                    Text(html, annotator.DisplayName);
                    html.Append("\">");
                    Text(html, Initials(annotator.DisplayName));
                    html.Append("</span>");
                }
                break;
            case "ground_truth_annotator":
                html.Append("""<span data-testid="ground-truth-by">""");
                Text(html, task.GroundTruthBy?.DisplayName);
                html.Append("</span>");
                break;
            case "completed_at": Date(html, task.CompletedAt); break;
            case "created_at": Date(html, task.CreatedAt); break;
            case "updated_at": Date(html, task.UpdatedAt); break;
            case "predictions_score": Text(html, task.PredictionScore?.ToString("0.###")); break;
        }
    }

    private static void Data(StringBuilder html, TaskPreview preview)
    {
        if (preview.Image is not null)
        {
            html.Append("<img src=\"");
            Text(html, preview.Image);
            html.Append("\" alt=\"\" class=\"thumb\" loading=\"lazy\" />");
        }
        html.Append("""<span class="preview" data-testid="preview">""");
        Text(html, preview.Text);
        html.Append("</span>");
    }

    private static void Date(StringBuilder html, DateTime? at) => Text(html, at?.ToString("yyyy-MM-dd HH:mm"));

    /// <summary>Encoded for text and for a quoted attribute value alike (&lt; &gt; &amp; " ').</summary>
    private static void Text(StringBuilder html, string? text) => html.Append(WebUtility.HtmlEncode(text));

    private static string Initials(string name) =>
        string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(part => char.ToUpperInvariant(part[0])));
}

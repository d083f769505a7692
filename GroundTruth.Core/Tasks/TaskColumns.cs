namespace GroundTruth.Core.Tasks;

/// <summary>What a column holds, which decides the filter value types and operators it takes.</summary>
public enum TaskColumnKind
{
    Number,
    Boolean,
    Datetime,
    /// <summary>A list of members; the column's SQL is an EXISTS subquery with <c>{0}</c> for the member condition on <c>a</c>.</summary>
    Members,
    /// <summary>A list of strings; the column's SQL is an EXISTS subquery with <c>{0}</c> for the value.</summary>
    Strings,
    /// <summary>JSON text searched for a substring; the column's SQL is an EXISTS subquery with <c>{0}</c> for the LIKE pattern.</summary>
    Text,
    /// <summary>The task's data: shown in the grid, filtered and sorted only by one of its keys (<c>data.&lt;key&gt;</c>).</summary>
    Data,
}

/// <summary>Whether and how the Data Manager grid shows a column.</summary>
public enum GridPlacement
{
    /// <summary>A filter only.</summary>
    None,
    /// <summary>Always shown, pinned to the left while the grid scrolls sideways.</summary>
    Pinned,
    /// <summary>Shown until the user hides it.</summary>
    Shown,
    /// <summary>Hidden until the user shows it.</summary>
    Hidden,
}

/// <summary>
/// One column of a project's tasks, under Label Studio's name (<c>filter:tasks:&lt;Name&gt;</c>, <c>tasks:&lt;Name&gt;</c> in
/// an ordering or a view's <c>hiddenColumns</c>).
/// </summary>
/// <param name="Sql">The SQL over <c>tasks t</c> (or its score sheet <c>s</c>) that filters and sorts by it (an EXISTS template for lists and text).</param>
/// <param name="Percent">Stored from 0 to 1 and shown and typed as a percentage.</param>
/// <param name="Empty">The SQL of the <c>empty</c> operator when it is not <c>Sql IS NULL</c>.</param>
public sealed record TaskColumn(string Name, string Title, TaskColumnKind Kind, string Sql, bool Sortable = true, bool Percent = false, string? Empty = null)
{
    /// <summary>The SQL a page of tasks reads under <see cref="Name"/>; null when the page reads it otherwise (member lists) or not at all.</summary>
    public string? Read { get; init; }

    public GridPlacement Grid { get; init; } = GridPlacement.None;

    /// <summary>Its SQL reads the task's score sheet <c>s</c> (<see cref="Model.TaskScoreSheet"/>), which a query then joins.</summary>
    public bool OnSheet { get; init; }

    /// <summary>Tells whose annotation is the ground truth or how annotators scored: not shown to annotators (<see cref="Accounts.GroundTruthVisibility"/>).</summary>
    public bool ReviewersOnly { get; init; }

    /// <summary>Whether the grid shows this column to <paramref name="actor"/> at all.</summary>
    public bool VisibleTo(Accounts.Actor actor) => !ReviewersOnly || Accounts.GroundTruthVisibility.SeesGroundTruth(actor);
}

/// <summary>
/// The one registry of task columns: the query compiler filters and sorts by it, the task page reads its rows by these
/// names, and the Data Manager grid and filter builder take their columns, titles and order from it.
/// </summary>
public static class TaskColumns
{
    // Those over annotations or predictions are EXISTS subqueries that an index on (task_id, …) answers per task, so a
    // sorted page still walks its sort index; completed_at and predictions_score are kept on the task by the triggers,
    // each with its (project, column, id) index. ground_truth_annotator is ours. The order is the grid's.
    public static IReadOnlyList<TaskColumn> All { get; } =
    [
        new("id", "ID", TaskColumnKind.Number, "t.id") { Read = "t.id", Grid = GridPlacement.Pinned },
        new("ground_truth", "Ground truth", TaskColumnKind.Boolean, "s.has_ground_truth") { Read = "s.has_ground_truth", OnSheet = true, Grid = GridPlacement.Pinned },
        new("agreement", "Agreement", TaskColumnKind.Number, "s.agreement", Percent: true) { Read = "s.agreement", OnSheet = true, Grid = GridPlacement.Pinned },
        new("accuracy", "Accuracy", TaskColumnKind.Number, "s.min_accuracy", Percent: true) { Read = "s.min_accuracy", OnSheet = true, Grid = GridPlacement.Shown, ReviewersOnly = true },
        new("data", "Data", TaskColumnKind.Data, "t.data", Sortable: false) { Read = "t.data", Grid = GridPlacement.Shown },
        new("total_annotations", "Annotations", TaskColumnKind.Number, "t.total_annotations") { Read = "t.total_annotations", Grid = GridPlacement.Shown },
        new("cancelled_annotations", "Cancelled", TaskColumnKind.Number, "t.cancelled_annotations") { Read = "t.cancelled_annotations", Grid = GridPlacement.Shown },
        new("total_predictions", "Predictions", TaskColumnKind.Number, "t.total_predictions") { Read = "t.total_predictions", Grid = GridPlacement.Shown },
        new("annotators", "Annotated by", TaskColumnKind.Members, "SELECT 1 FROM annotations a WHERE a.task_id = t.id AND {0}", Sortable: false,
            Empty: "t.total_annotations + t.cancelled_annotations = 0") { Grid = GridPlacement.Shown },
        new("ground_truth_annotator", "Ground truth by", TaskColumnKind.Members, "SELECT 1 FROM annotations a WHERE a.task_id = t.id AND a.ground_truth AND {0}",
            Sortable: false, Empty: "NOT s.has_ground_truth") { OnSheet = true, Grid = GridPlacement.Shown, ReviewersOnly = true },
        new("completed_at", "Completed", TaskColumnKind.Datetime, "t.completed_at") { Read = "t.completed_at", Grid = GridPlacement.Hidden },
        new("created_at", "Created", TaskColumnKind.Datetime, "t.created_at") { Read = "t.created_at", Grid = GridPlacement.Shown },
        new("updated_at", "Updated", TaskColumnKind.Datetime, "t.updated_at") { Read = "t.updated_at", Grid = GridPlacement.Shown },
        new("inner_id", "Inner ID", TaskColumnKind.Number, "t.inner_id") { Read = "t.inner_id", Grid = GridPlacement.Hidden },
        new("predictions_model_versions", "Model versions", TaskColumnKind.Strings, "SELECT 1 FROM predictions p WHERE p.task_id = t.id AND p.model_version = {0}",
            Sortable: false, Empty: "t.total_predictions = 0"),
        new("predictions_score", "Prediction score", TaskColumnKind.Number, "t.prediction_score") { Read = "t.prediction_score", Grid = GridPlacement.Hidden },
        new("annotations_results", "Annotation results", TaskColumnKind.Text,
            "SELECT 1 FROM annotations a JOIN annotation_results r ON r.id = a.id WHERE a.task_id = t.id AND lower(r.result) LIKE {0} ESCAPE '\\'", Sortable: false),
        new("predictions_results", "Prediction results", TaskColumnKind.Text,
            "SELECT 1 FROM predictions p WHERE p.task_id = t.id AND lower(p.result) LIKE {0} ESCAPE '\\'", Sortable: false),
    ];

    private static readonly Dictionary<string, TaskColumn> ByName = All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>The column a filter or ordering names (the task data's keys aside); null when there is none.</summary>
    public static TaskColumn? Find(string name) => ByName.GetValueOrDefault(name) is { Kind: not TaskColumnKind.Data } column ? column : null;

    /// <summary>Filterable columns, in the grid's order.</summary>
    public static IEnumerable<TaskColumn> Filterable => All.Where(c => Find(c.Name) is not null);

    /// <summary>The grid's columns, in order.</summary>
    public static IEnumerable<TaskColumn> InGrid => All.Where(c => c.Grid != GridPlacement.None);

    /// <summary>The columns a page of tasks reads, each under its name.</summary>
    public static string Select() => string.Join(", ", All.Where(c => c.Read is not null).Select(c => $"{c.Read} AS {c.Name}"));
}

namespace GroundTruth.Core.ImportExport;

/// <summary>
/// Fields of a Label Studio file that this model owns (it writes its own value on export) but keeps as the file said
/// them, in the row's <c>extra</c> JSON: an export with <see cref="IdSource.File"/> writes them back, so the file's
/// numbering and its annotators' records reach Label Studio again; an export with our ids writes ours.
/// </summary>
internal static class FileFields
{
    public static readonly IReadOnlySet<string> Task = new HashSet<string> { "inner_id", "project", "agreement" };
    public static readonly IReadOnlySet<string> Annotation = new HashSet<string> { "completed_by", "task", "project", "result_count" };
    public static readonly IReadOnlySet<string> Prediction = new HashSet<string> { "task", "project" };
}

/// <summary>Whose ids an export writes: ours (the default), or for what came from a file, the ids it had there.</summary>
public enum IdSource
{
    Ours,
    File,
}

public static class IdSources
{
    /// <summary>The <c>id_source</c> query parameter: <c>ours</c> (the default) or <c>file</c>; anything else is a 400 naming it.</summary>
    public static IdSource Parse(string? value) => value switch
    {
        null or "" or "ours" => IdSource.Ours,
        "file" => IdSource.File,
        _ => throw new BadInputException($"id_source must be 'ours' or 'file', not '{value}'.", "id_source"),
    };
}

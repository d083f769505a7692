namespace GroundTruth.Core.ImportExport;

/// <summary>
/// One task of an uploaded file, parsed and validated, waiting for its import job's chunk to write it: the file lives in
/// the database, so whichever node runs the job can read it, and a chunk deletes the rows it has written.
/// </summary>
public sealed class ImportRow
{
    public long JobId { get; set; }

    /// <summary>The task's place in the file, from 1; it becomes the task's number in its project, after those already there.</summary>
    public int Position { get; set; }

    /// <summary>The parsed task as JSON.</summary>
    public required string Task { get; set; }
}

namespace GroundTruth.Core.Jobs;

/// <summary>
/// A long operation recorded in the database: it runs in chunks, each one short transaction that also advances
/// <see cref="Cursor"/>, so a job killed with its node resumes after the last chunk that committed and never applies a
/// chunk twice. Any node may run it: a node holds it by a lease (<see cref="LeaseOwner"/> until <see cref="LeaseUntil"/>)
/// renewed by every chunk; when the lease runs out, another node (or the same after a restart) takes it over.
/// </summary>
public sealed class Job
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public JobKind Kind { get; set; }
    public JobState State { get; set; }

    /// <summary>What to do, as the job kind's JSON (the query and selection, the annotator, the import's options).</summary>
    public string Parameters { get; set; } = "{}";

    /// <summary>The last task id a committed chunk has dealt with; the next chunk starts after it.</summary>
    public long Cursor { get; set; }

    /// <summary>Tasks dealt with so far, out of <see cref="Total"/>: the progress bar.</summary>
    public long Done { get; set; }
    public long Total { get; set; }

    /// <summary>The counts so far, as the job kind's JSON; the final counts once it has succeeded.</summary>
    public string? Result { get; set; }

    /// <summary>Why it failed, in words a user can act on.</summary>
    public string? Error { get; set; }

    /// <summary>Who started it, acted for in every chunk (history rows name them).</summary>
    public long CreatedByUserId { get; set; }
    public string CreatedBy { get; set; } = "";
    public Model.Role CreatedByRole { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }

    /// <summary>
    /// While an import's file is still arriving: until when its upload counts as alive (it renews this as it stages
    /// rows); null once the whole file is staged, and for every other kind. The job runs meanwhile, on what has arrived.
    /// </summary>
    public DateTime? UploadUntil { get; set; }

    /// <summary>Set from the page or the API; the runner stops before its next chunk.</summary>
    public bool CancelRequested { get; set; }

    public bool IsActive => State is JobState.Queued or JobState.Running;

    internal Accounts.Actor Actor => new(CreatedByUserId, CreatedBy, CreatedByRole);
}

public enum JobKind
{
    SetGroundTruths,
    DeleteGroundTruths,
    Rescore,
    Import,
    Export,
}

public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

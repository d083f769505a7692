namespace GroundTruth.Core.Model;

/// <summary>A user's membership of a project; users see only the projects they belong to (administrators see all).</summary>
public sealed class ProjectMembership
{
    public long ProjectId { get; set; }
    public long UserId { get; set; }
}

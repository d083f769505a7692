namespace GroundTruth.Core.Model;

/// <summary>Someone who annotates: known by email (stored lower-case, unique), whether or not they have an account.</summary>
public sealed class Member
{
    public long Id { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
}

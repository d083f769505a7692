namespace GroundTruth.Core.Model;

/// <summary>
/// What a user may do, each role including the ones below it: annotators see tasks; reviewers set and unset ground
/// truth and see accuracy; managers import, export, run bulk actions and manage project members; administrators do
/// everything and manage users.
/// </summary>
public enum Role
{
    Annotator = 0,
    Reviewer = 1,
    Manager = 2,
    Administrator = 3,
}

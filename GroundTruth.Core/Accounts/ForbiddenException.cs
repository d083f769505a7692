using GroundTruth.Core.Model;

namespace GroundTruth.Core.Accounts;

/// <summary>The actor may see the thing but not do this to it. The API answers 403.</summary>
public sealed class ForbiddenException(Role needed, string action)
    : UserFacingException(ErrorKind.Forbidden, $"Only a {needed.ToString().ToLowerInvariant()} or above may {action}.")
{
    public Role Needed { get; } = needed;
}

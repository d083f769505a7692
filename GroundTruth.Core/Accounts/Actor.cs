using GroundTruth.Core.Model;

namespace GroundTruth.Core.Accounts;

/// <summary>Who is acting: every Core operation takes one and checks it before touching data.</summary>
public sealed record Actor(long UserId, string Email, Role Role)
{
    /// <summary>The application itself (demo data, benchmarks, first-run set-up): an administrator with no account.</summary>
    public static Actor System { get; } = new(0, "system", Role.Administrator);

    public bool IsAdministrator => Role == Role.Administrator;

    public bool IsAtLeast(Role role) => Role >= role;
}

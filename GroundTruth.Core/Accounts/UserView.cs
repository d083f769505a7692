using GroundTruth.Core.Model;

namespace GroundTruth.Core.Accounts;

/// <summary>An account as lists and the API show it.</summary>
public sealed record UserView(long Id, string Email, string DisplayName, Role Role);

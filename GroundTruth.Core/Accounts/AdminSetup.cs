namespace GroundTruth.Core.Accounts;

/// <summary>The first administrator, from configuration <c>GroundTruth:Admin:Email</c>, <c>:Password</c> and <c>:Token</c>.</summary>
public sealed record AdminSetup(string? Email, string? Password, string? Token);

namespace GroundTruth.Core.Accounts;

/// <summary>A token as its owner sees it in the list: never the key.</summary>
public sealed record ApiTokenView(long Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>A token just created: the key is shown this once and never stored.</summary>
public sealed record NewApiToken(ApiTokenView Token, string Key);

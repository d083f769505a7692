namespace GroundTruth.Core.Model;

/// <summary>A Label Studio-style API token (<c>Authorization: Token &lt;key&gt;</c>); only the SHA-256 of the key is stored.</summary>
public sealed class ApiToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>The key's first characters, to tell tokens apart in lists.</summary>
    public required string Prefix { get; set; }

    public required string Hash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

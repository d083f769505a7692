namespace GroundTruth.Core;

/// <summary>The one rule for the emails that name accounts and annotators: trimmed, lower case, at most 254 characters.</summary>
public static class EmailAddresses
{
    /// <summary>The longest address SMTP can deliver to (RFC 5321's path limit less the angle brackets).</summary>
    public const int MaxLength = 254;

    public static string Normalize(string? email) => email?.Trim().ToLowerInvariant() ?? "";

    /// <summary>
    /// A local part and a domain around one @, no spaces or control characters, and no U+FFFD (text that was not valid
    /// Unicode): an address that cannot be an address is refused rather than stored.
    /// </summary>
    public static bool IsValid(string normalized)
    {
        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        return normalized.Length <= MaxLength && at > 0 && at == normalized.LastIndexOf('@') && at < normalized.Length - 1
            && !normalized.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\uFFFD');
    }

    public static string Problem => $"must be an email address of at most {MaxLength} characters";
}

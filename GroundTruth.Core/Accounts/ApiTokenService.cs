using System.Security.Cryptography;
using System.Text;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Accounts;

/// <summary>
/// API tokens in Label Studio's style. A key is 32 random bytes; only its SHA-256 is stored, so a stolen database
/// yields no usable key. Each request looks the token up, so a revoked token is refused at once.
/// </summary>
public sealed class ApiTokenService(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time)
{
    private const string KeyPrefix = "gt_";

    public async Task<NewApiToken> CreateAsync(Actor actor, string name, CancellationToken ct = default)
    {
        var key = KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return new NewApiToken(await StoreAsync(actor.UserId, name, key, ct), key);
    }

    /// <summary>Stores a key chosen elsewhere (the first-run administrator token from configuration).</summary>
    internal async Task<ApiTokenView> StoreAsync(long userId, string name, string key, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            throw new BadInputException("A token needs a name of 1 to 100 characters.", "name");
        }
        if (key.Length < 20)
        {
            throw new BadInputException("A token key must be at least 20 characters long.", "token");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            throw new BadInputException("Tokens belong to accounts; this actor has none.");
        }
        var token = new ApiToken { UserId = userId, Name = name, Prefix = key[..Math.Min(8, key.Length)], Hash = Hash(key), CreatedAt = SqliteTime.Now(time) };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return View(token);
    }

    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == actor.UserId).OrderByDescending(t => t.Id).ToListAsync(ct);
        return tokens.Select(View).ToList();
    }

    /// <summary>Revokes one of the actor's own tokens. Returns false if it was already revoked.</summary>
    public async Task<bool> RevokeAsync(Actor actor, long tokenId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == actor.UserId, ct)
            ?? throw new NotFoundException("Token", tokenId);
        if (token.RevokedAt is not null)
        {
            return false;
        }
        token.RevokedAt = SqliteTime.Now(time);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// The actor a key stands for, or null for an unknown or revoked key. A sign-in lockout does not reach tokens: five
    /// wrong passwords from anyone must not stop a team's scripts.
    /// </summary>
    public async Task<Actor?> AuthenticateAsync(string key, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }
        var hash = Hash(key.Trim());
        await using var db = await factory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash && t.RevokedAt == null, ct);
        if (token is null)
        {
            return null;
        }
        var now = SqliteTime.Now(time);
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return await AccountQueries.ActorAsync(db, token.UserId, ct);
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static ApiTokenView View(ApiToken t) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}

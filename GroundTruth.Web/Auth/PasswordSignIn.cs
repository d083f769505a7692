using GroundTruth.Core;
using GroundTruth.Core.Model;
using Microsoft.AspNetCore.Identity;

namespace GroundTruth.Web.Auth;

/// <summary>
/// Sign-in by email and password that tells an outsider nothing: every attempt — unknown email, wrong password, locked
/// or unconfirmed account — hashes the password exactly once (against a dummy hash when no real one is checked) and
/// fails with the same message. Five wrong passwords lock the sign-in for 15 minutes; API tokens are not affected.
/// </summary>
public sealed class PasswordSignIn(SignInManager<User> signIn, UserManager<User> users, IPasswordHasher<User> hasher)
{
    public const string Failed = "Wrong email or password. After 5 wrong passwords an account cannot sign in for 15 minutes.";

    /// <summary>A hash made by this app's hasher, with its iteration count, of a password nobody knows.</summary>
    private static string? _dummyHash;

    public async Task<bool> SignInAsync(string email, string password)
    {
        var user = await users.FindByNameAsync(EmailAddresses.Normalize(email));
        if (user is null)
        {
            VerifyAgainstDummy(password);
            return false;
        }
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut || result.IsNotAllowed)
        {
            // Identity refuses these before checking the password; check one anyway so they take as long as the rest.
            VerifyAgainstDummy(password);
        }
        return result.Succeeded;
    }

    private void VerifyAgainstDummy(string password)
    {
        var dummy = new User();
        _dummyHash ??= hasher.HashPassword(dummy, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        hasher.VerifyHashedPassword(dummy, _dummyHash, password);
    }
}

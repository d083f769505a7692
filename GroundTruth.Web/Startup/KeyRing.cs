using System.Security.Cryptography.X509Certificates;
using GroundTruth.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Web.Startup;

/// <summary>
/// The Data Protection key ring (sign-in cookies, antiforgery tokens) lives in the database, so a cookie one node issued is
/// accepted by every other. With <c>GroundTruth:DataProtection:Certificate</c> (a PKCS#12 file; its password in
/// <c>:CertificatePassword</c>) each key is encrypted to that certificate before it is stored, so whoever can read the
/// database (a backup, a replica, a support login) cannot forge a sign-in from it. Every node then needs the certificate.
/// </summary>
internal static class KeyRing
{
    private const string Section = "GroundTruth:DataProtection";

    private static string? CertificatePath(IConfiguration configuration) =>
        configuration[$"{Section}:Certificate"] is { Length: > 0 } path ? path : null;

    public static IServiceCollection AddKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var keys = services.AddDataProtection().SetApplicationName("GroundTruth").PersistKeysToDbContext<GroundTruthDbContext>();
        if (CertificatePath(configuration) is { } path)
        {
            // Also the certificate that decrypts the stored keys.
            keys.ProtectKeysWithCertificate(
                X509CertificateLoader.LoadPkcs12FromFile(path, configuration[$"{Section}:CertificatePassword"]));
        }
        return services;
    }

    /// <summary>
    /// Why this node must not start with the key ring it would get, or null. A node without the certificate cannot read
    /// encrypted keys, and Data Protection's answer to a ring it cannot read is a new key, stored in the clear and used
    /// by every node from then on: one misconfigured node would quietly undo the encryption and sign everyone out.
    /// </summary>
    public static async Task<string?> ProblemAsync(IConfiguration configuration, IDbContextFactory<GroundTruthDbContext> factory)
    {
        if (CertificatePath(configuration) is not null)
        {
            return null;
        }
        await using var db = await factory.CreateDbContextAsync();
        return await db.DataProtectionKeys.AnyAsync(k => k.Xml!.Contains("<EncryptedData"))
            ? $"the database's Data Protection keys are encrypted to a certificate and {Section}:Certificate is not set on this node; "
              + "give it the other nodes' certificate, or delete the rows of data_protection_keys to start a new key ring (everyone signs in again)."
            : null;
    }
}

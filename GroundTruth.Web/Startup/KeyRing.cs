using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
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
            keys.ProtectKeysWithCertificate(Certificate(configuration, path));
        }
        return services;
    }

    /// <summary>
    /// Why this node must not start with the key ring it would get, or null. A node that cannot decrypt a key still in
    /// use (it lacks the certificate, or has another one) skips it; left with no key it can read, Data Protection makes a
    /// new one, stored in the clear or encrypted to this node's certificate, and every node uses it from then on: one
    /// misconfigured node would quietly undo the encryption, or sign everyone out of the nodes that cannot read it.
    /// Expired keys are left out: once the old certificate's keys have expired, a node with a new certificate starts a
    /// new ring.
    /// </summary>
    public static async Task<string?> ProblemAsync(IConfiguration configuration, IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time)
    {
        await using var db = await factory.CreateDbContextAsync();
        var now = time.GetUtcNow();
        var encrypted = (await db.DataProtectionKeys.Where(k => k.Xml!.Contains("<EncryptedData")).Select(k => k.Xml!).ToListAsync())
            .Select(XElement.Parse)
            .Where(key => DateTimeOffset.Parse(key.Element("expirationDate")!.Value, CultureInfo.InvariantCulture) > now)
            .ToList();
        if (encrypted.Count == 0)
        {
            return null;
        }
        var problem = CertificatePath(configuration) is not { } path
            ? $"encrypted to a certificate and {Section}:Certificate is not set on this node"
            : EncryptedTo(encrypted, configuration, path) ? null
            : $"encrypted to another certificate than the one {Section}:Certificate names on this node";
        return problem is null ? null : $"the database's Data Protection keys are {problem}; give it the other nodes' certificate, "
            + "or delete the rows of data_protection_keys to start a new key ring (everyone signs in again).";
    }

    /// <summary>Whether every key was encrypted to this node's certificate: each names its own (XML Encryption's X509Certificate, base64 DER).</summary>
    private static bool EncryptedTo(List<XElement> keys, IConfiguration configuration, string path)
    {
        using var certificate = Certificate(configuration, path);
        var ours = Convert.ToBase64String(certificate.RawData);
        return keys.All(key => key.Descendants().Any(e => e.Name.LocalName == "X509Certificate" && string.Concat(e.Value.Where(c => !char.IsWhiteSpace(c))) == ours));
    }

    private static X509Certificate2 Certificate(IConfiguration configuration, string path) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, configuration[$"{Section}:CertificatePassword"]);
}

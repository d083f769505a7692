using System.Security.Cryptography.X509Certificates;
using GroundTruth.Core.Data;
using Microsoft.AspNetCore.DataProtection;

namespace GroundTruth.Web.Startup;

/// <summary>
/// The Data Protection key ring (sign-in cookies, antiforgery tokens) lives in the database, so a cookie one node issued is
/// accepted by every other. With <c>GroundTruth:DataProtection:Certificate</c> (a PKCS#12 file; its password in
/// <c>:CertificatePassword</c>) each key is encrypted to that certificate before it is stored, so whoever can read the
/// database (a backup, a replica, a support login) cannot forge a sign-in from it. Every node then needs the certificate.
/// </summary>
internal static class KeyRing
{
    public static IServiceCollection AddKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var keys = services.AddDataProtection().SetApplicationName("GroundTruth").PersistKeysToDbContext<GroundTruthDbContext>();
        var section = configuration.GetSection("GroundTruth:DataProtection");
        if (section["Certificate"] is { Length: > 0 } path)
        {
            // Also the certificate that decrypts the stored keys.
            keys.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(path, section["CertificatePassword"]));
        }
        return services;
    }
}

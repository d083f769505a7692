using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using GroundTruth.Core.Data;
using GroundTruth.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Accounts;

/// <summary>The key ring that signs cookies lives in the database; with a certificate configured, only encrypted.</summary>
public sealed class KeyRingTests
{
    private const string Password = "pfx-password";

    [Fact]
    public async Task With_a_certificate_the_stored_key_is_encrypted_a_node_holding_it_accepts_the_cookie_and_one_without_it_or_with_another_does_not_start()
    {
        var pfx = await CertificateFileAsync();
        var other = await CertificateFileAsync();
        try
        {
            await using var node = new ApiFactory(new Dictionary<string, string>
            {
                ["GroundTruth:DataProtection:Certificate"] = pfx,
                ["GroundTruth:DataProtection:CertificatePassword"] = Password,
            });
            using var session = new BrowserSession(node);
            var signedIn = await session.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).Split(';')[0];

            // The database holds the key's secret encrypted to the certificate, not in the clear as it would without one.
            await using (var db = await node.Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>().CreateDbContextAsync())
            {
                var xml = Assert.Single(await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
                Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            }

            // Another node with the certificate takes the cookie.
            await using var withCertificate = node.WithWebHostBuilder(_ => { });
            Assert.Equal(HttpStatusCode.OK, await AccountAsync(withCertificate, cookie));

            // One without it could not read the key and would store a new one in the clear, for every node: it does not start.
            var run = await AppNode.RunUntilExitAsync(TestStore.Provider, node.Store.ConnectionString, "A node without the certificate kept running on encrypted keys.");
            Assert.NotEqual(0, run.ExitCode);
            var line = Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("GroundTruth cannot start: the database's Data Protection keys are encrypted to a certificate and GroundTruth:DataProtection:Certificate is not set", line, StringComparison.Ordinal);

            // Nor does one with another certificate: it could not read the key either, and would store one the others cannot read.
            run = await AppNode.RunUntilExitAsync(TestStore.Provider, node.Store.ConnectionString, "A node with another certificate kept running.",
                new Dictionary<string, string> { ["GroundTruth__DataProtection__Certificate"] = other, ["GroundTruth__DataProtection__CertificatePassword"] = Password });
            Assert.NotEqual(0, run.ExitCode);
            line = Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("GroundTruth cannot start: the database's Data Protection keys are encrypted to another certificate than the one GroundTruth:DataProtection:Certificate names", line, StringComparison.Ordinal);

            await using (var db = await node.Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>().CreateDbContextAsync())
            {
                var key = Assert.Single(await db.DataProtectionKeys.ToListAsync());
                Assert.Contains("<EncryptedData", key.Xml, StringComparison.Ordinal);

                // A certificate rotation: once the old certificate's keys have expired, a node with the new one starts.
                key.Xml = Regex.Replace(key.Xml!, "<expirationDate>[^<]*</expirationDate>",
                    $"<expirationDate>{DateTimeOffset.UtcNow.AddDays(-1):O}</expirationDate>");
                await db.SaveChangesAsync();
            }
            await using var rotated = node.WithWebHostBuilder(builder => builder.UseSetting("GroundTruth:DataProtection:Certificate", other));
            using var client = rotated.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        }
        finally
        {
            File.Delete(pfx);
            File.Delete(other);
        }
    }

    /// <summary>A new self-signed certificate with its private key, as a PKCS#12 file under <see cref="Password"/>.</summary>
    private static async Task<string> CertificateFileAsync()
    {
        var pfx = Path.Combine(Path.GetTempPath(), $"groundtruth-keys-{Guid.NewGuid():N}.pfx");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=GroundTruth test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, Password));
        return pfx;
    }

    private static async Task<HttpStatusCode> AccountAsync(WebApplicationFactory<Program> node, string cookie)
    {
        using var client = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/account");
        request.Headers.Add("Cookie", cookie);
        return (await client.SendAsync(request)).StatusCode;
    }
}

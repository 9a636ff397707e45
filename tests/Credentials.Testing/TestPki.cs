using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Credentials.Testing;

/// <summary>
/// A certificate authority made in the test, never stored in git: it issues a server certificate
/// for 127.0.0.1 and client certificates, each with its private key, and writes them as PEM files.
/// </summary>
public sealed class TestPki : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestPki(string name = "Credentials Test CA")
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Authority = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    /// <summary>The CA certificate (with its key).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>A server certificate for 127.0.0.1 and localhost.</summary>
    public X509Certificate2 IssueServer()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        return Issue("CN=credentials-server", ServerAuth, names.Build());
    }

    /// <summary>A client certificate for mutual TLS.</summary>
    public X509Certificate2 IssueClient(string commonName) => Issue($"CN={commonName}", ClientAuth, null);

    /// <summary>Writes the certificate (PEM) and, when it has one, its private key (PKCS#8 PEM); returns both paths.</summary>
    public static (string CertificatePath, string KeyPath) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        var certificatePath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey();
        if (key is not null)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }
        return (certificatePath, keyPath);
    }

    private X509Certificate2 Issue(string subject, Oid usage, X509Extension? alternativeNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Authority, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        // SslStream on Linux wants a key it can hand to OpenSSL: a PKCS#12 round trip gives one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _key.Dispose();
    }
}

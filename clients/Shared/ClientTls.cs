using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Credentials.Clients;

/// <summary>
/// TLS of a client's gRPC channel, set on its <c>HttpHandler</c>: the CA roots to trust for the
/// server's certificate instead of the system store (--ca), and the client certificate to present
/// for mutual TLS (--cert/--key) when the principal is bound to one. Linked into credctl and
/// credentials-sync, which share these options.
/// </summary>
internal static class ClientTls
{
    /// <summary>A TLS option that cannot be used: the message names the option and the file.</summary>
    public sealed class OptionException(string message) : Exception(message);

    /// <summary>The handler of a channel to <paramref name="address"/>, with --ca, --cert and --key as given (null: not given).</summary>
    /// <exception cref="OptionException">An option that does not fit the address or the others, or a file that cannot be used.</exception>
    public static SocketsHttpHandler Handler(Uri address, FileInfo? ca, FileInfo? certificate, FileInfo? key)
    {
        if ((ca is not null || certificate is not null) && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new OptionException($"{(ca is not null ? "--ca" : "--cert")} needs an https:// server address.");
        }
        if (key is not null && certificate is null)
        {
            throw new OptionException("--key goes with --cert.");
        }
        return Handler(ca is null ? null : LoadRoots(ca.FullName), certificate is null ? null : LoadClientCertificate(certificate.FullName, key?.FullName));
    }

    /// <summary>Trusting <paramref name="roots"/> (null: the system store) and presenting <paramref name="clientCertificate"/> (null: none).</summary>
    private static SocketsHttpHandler Handler(X509Certificate2Collection? roots, X509Certificate2Collection? clientCertificate)
    {
        var tls = new SslClientAuthenticationOptions();
        if (roots is not null)
        {
            // Only these roots anchor the chain; the host name is still checked against the certificate. No revocation
            // check, as with the system store (SslStream's default): a private CA seldom publishes a CRL.
            tls.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            tls.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }
        if (clientCertificate is not null)
        {
            // The leaf with its key, and the intermediates the server needs to build the chain.
            tls.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate[0], [.. clientCertificate.Skip(1)], offline: true);
        }
        return new SocketsHttpHandler { SslOptions = tls, EnableMultipleHttp2Connections = true };
    }

    /// <summary>The CA certificates of a PEM file (--ca).</summary>
    private static X509Certificate2Collection LoadRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new OptionException($"--ca: cannot read certificates from {path}: {e.Message}");
        }
        return roots.Count > 0 ? roots : throw new OptionException($"--ca: {path} holds no PEM certificate.");
    }

    /// <summary>
    /// The client certificate of a PEM file (--cert: the certificate first, then any intermediates) with its
    /// private key (--key: a PEM key file; without it, the key is read from the certificate file).
    /// </summary>
    private static X509Certificate2Collection LoadClientCertificate(string certificatePath, string? keyPath)
    {
        var chain = new X509Certificate2Collection();
        try
        {
            using var withKey = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // SslStream on Linux hands the key to OpenSSL; a PKCS#12 round trip gives it a key it can use.
            chain.Add(X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null));
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(certificatePath);
            chain.AddRange(all.Skip(1).ToArray());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new OptionException($"--cert: cannot read a certificate and its private key from {certificatePath}" +
                (keyPath is null ? " (give the key with --key if it is in another file)" : $" and {keyPath}") + $": {e.Message}");
        }
        if (!chain[0].HasPrivateKey)
        {
            throw new OptionException($"--cert: no private key for the certificate in {certificatePath}.");
        }
        return chain;
    }
}

using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Credentials.Core.Validation;
using Microsoft.AspNetCore.Authentication.Certificate;

namespace Credentials.Server.Security;

/// <summary>
/// Client certificates of mutual TLS (双向认证): their fingerprints, and the check that a
/// presented certificate chains to the configured CA bundle.
/// </summary>
public static class ClientCertificates
{
    /// <summary>The SHA-256 of the certificate's DER encoding: what <c>openssl x509 -fingerprint -sha256</c> prints.</summary>
    public static byte[] Fingerprint(X509Certificate2 certificate) => SHA256.HashData(certificate.RawData);

    /// <summary>A fingerprint as colon-free upper-case hex.</summary>
    public static string Hex(byte[] fingerprint) => Convert.ToHexString(fingerprint);

    /// <summary>
    /// The fingerprint named on the command line: 64 hex digits (colons allowed, as openssl prints
    /// them), or the path of a PEM certificate file.
    /// </summary>
    public static byte[] ReadFingerprint(string fingerprintOrPemFile)
    {
        var hex = fingerprintOrPemFile.Replace(":", "", StringComparison.Ordinal);
        if (hex.Length == 64 && hex.All(char.IsAsciiHexDigit))
        {
            return Convert.FromHexString(hex);
        }
        if (!File.Exists(fingerprintOrPemFile))
        {
            throw new InvalidRequestException("certificate", "must be a PEM certificate file or a SHA-256 fingerprint (64 hex digits)");
        }
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(fingerprintOrPemFile));
            return Fingerprint(certificate);
        }
        catch (CryptographicException e)
        {
            throw new InvalidRequestException("certificate", $"{fingerprintOrPemFile} holds no PEM certificate: {e.Message}");
        }
    }

    /// <summary>The certificates of a PEM bundle (one or more CERTIFICATE blocks).</summary>
    public static X509Certificate2Collection LoadBundle(string pemPath)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(pemPath);
        if (bundle.Count == 0)
        {
            throw new InvalidOperationException($"{pemPath} holds no PEM certificate.");
        }
        return bundle;
    }

    /// <summary>
    /// Whether a presented client certificate chains to one of <paramref name="roots"/> (and only
    /// those: the system store is not consulted) and is valid now. Revocation is by unbinding or
    /// revoking the principal, not by CRL.
    /// </summary>
    public static bool IsTrusted(X509Certificate2 certificate, X509Chain? presented, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            // Intermediates the client sent along.
            foreach (var element in presented.ChainElements)
            {
                if (!element.Certificate.RawData.AsSpan().SequenceEqual(certificate.RawData))
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
        }
        return chain.Build(certificate);
    }

    /// <summary>
    /// The certificate authentication handler for mutual TLS: a client certificate is accepted when it
    /// chains to <paramref name="roots"/> only (the system store is not consulted), is valid now and is
    /// meant for client authentication. Validity is judged on the wall clock, like the TLS handshake
    /// that let the certificate in: it is the peer's clock too, not a rule of the service. The token
    /// handler consults this scheme for principals bound to a certificate; it never signs anyone in alone.
    /// </summary>
    public static void Configure(CertificateAuthenticationOptions options, X509Certificate2Collection roots)
    {
        options.AllowedCertificateTypes = CertificateTypes.Chained;
        options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
        options.CustomTrustStore.AddRange(roots);
        options.RevocationMode = X509RevocationMode.NoCheck;
        options.ValidateCertificateUse = true;
        options.ValidateValidityPeriod = true;
        options.TimeProvider = TimeProvider.System;
    }

    /// <summary>
    /// Kestrel's validation callback for the CA bundle at <paramref name="caPath"/>: a certificate of
    /// another CA fails the handshake, before any request.
    /// </summary>
    public static Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool> Validator(string caPath)
    {
        var roots = LoadBundle(caPath);
        return (certificate, chain, _) => IsTrusted(certificate, chain, roots);
    }

    /// <summary>A short form for listings: the first 16 hex digits.</summary>
    public static string Short(byte[]? fingerprint) =>
        fingerprint is null ? "-" : Hex(fingerprint)[..16].ToLower(CultureInfo.InvariantCulture);
}

namespace Credentials.Server.Hosting;

/// <summary>
/// The host's settings, bound from appsettings.json, then CREDENTIALS_* environment variables
/// (CREDENTIALS_DATADIR, CREDENTIALS_TLS__CERTIFICATEPATH, ...), then the command line
/// (--urls, --data-dir, --Tls:CertificatePath=...).
/// </summary>
public sealed class ServerOptions
{
    /// <summary>Where the database, keys and secrets live. Default ./data.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>TLS from PEM files; without them the server speaks cleartext HTTP/2.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Allow cleartext on an address other than loopback. Off: personal data does not cross a
    /// network unencrypted by accident.
    /// </summary>
    public bool AllowInsecureRemote { get; set; }

    /// <summary>
    /// How often the store is probed (a rolled-back write that needs fresh pages) for health;
    /// zero turns the probe off. Failed writes turn health NOT_SERVING at once either way.
    /// </summary>
    public TimeSpan StoreProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long calls in flight may take to finish when the server stops.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How certificate holders sign in (section "Holders"); off unless configured.</summary>
    public Holders.HoldersOptions Holders { get; set; } = new();
}

public sealed class TlsOptions
{
    /// <summary>PEM certificate (chain) file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file of the certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// PEM bundle of the CA certificates that issue client certificates (mutual TLS). When set,
    /// clients may present a certificate; one that does not chain to this bundle fails the
    /// handshake. Principals bound to a certificate need it.
    /// </summary>
    public string? ClientCaPath { get; set; }

    /// <summary>With <see cref="ClientCaPath"/>: refuse connections that present no client certificate.</summary>
    public bool RequireClientCertificate { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(CertificatePath);
}

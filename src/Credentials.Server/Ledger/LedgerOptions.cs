namespace Credentials.Server.Ledger;

/// <summary>The transparency log's identity (section "Ledger"; CREDENTIALS_LEDGER__ORIGIN, ...).</summary>
public sealed class LedgerOptions
{
    /// <summary>
    /// The log's origin, the first line of every checkpoint (c2sp.org/tlog-checkpoint): a name that is unique
    /// to this deployment, by convention a host name and path the operator controls, e.g.
    /// "credentials.hrss.ln.gov.cn/ledger". The default marks an unconfigured test deployment.
    /// </summary>
    public string Origin { get; set; } = "credentials.example.cn/ledger";

    /// <summary>
    /// The log key's name, written in every signature line; empty means the origin (what C2SP recommends).
    /// It is fixed when the key is created at first start: the key id depends on it.
    /// </summary>
    public string? KeyName { get; set; }

    public string EffectiveKeyName => string.IsNullOrEmpty(KeyName) ? Origin : KeyName;
}

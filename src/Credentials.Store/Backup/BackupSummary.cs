namespace Credentials.Store.Backup;

/// <summary>What a backup file holds: its size, schema version and how many certificates and ledger events.</summary>
public sealed record BackupSummary(long Bytes, int SchemaVersion, long Certificates, long LedgerEvents)
{
    public override string ToString() =>
        $"{Bytes} bytes, schema version {SchemaVersion}, {Certificates} certificates, {LedgerEvents} ledger events, integrity ok";
}

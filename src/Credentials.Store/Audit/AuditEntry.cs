namespace Credentials.Store.Audit;

/// <summary>Who is writing, from where, and how the write is identified: recorded with every write.</summary>
public sealed record AuditEntry(string Principal, string Role, string Method, string ClientAddress, string RequestId);

/// <summary>A stored audit record, with the ledger events its write appended (if any).</summary>
public sealed record AuditRecord(
    long Id,
    DateTimeOffset At,
    string Principal,
    string Role,
    string Method,
    string ClientAddress,
    string RequestId,
    long? FirstEvent,
    long? LastEvent);

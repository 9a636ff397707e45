namespace Credentials.Store.Audit;

/// <summary>Who is writing, from where, and how the write is identified: recorded with every write.</summary>
public sealed record AuditEntry(string Principal, string Role, string Method, string ClientAddress, string RequestId)
{
    /// <summary>The role recorded for writers on the host itself (admin commands, start-up).</summary>
    public const string LocalRole = "admin";

    /// <summary>A writer on the host rather than a caller: an admin command or start-up, with a request id of its own.</summary>
    public static AuditEntry Local(string principal, string method) =>
        new(principal, LocalRole, method, "local", Guid.NewGuid().ToString("N"));
}

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

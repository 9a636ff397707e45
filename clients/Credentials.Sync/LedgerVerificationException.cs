namespace Credentials.Sync;

/// <summary>
/// The log's history does not check out: a bad signature, a missing or altered event, a checkpoint that is not
/// consistent with one verified before. Not retryable: someone must look at the log.
/// </summary>
public sealed class LedgerVerificationException(string message) : Exception(message);

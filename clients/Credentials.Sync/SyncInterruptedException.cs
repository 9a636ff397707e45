namespace Credentials.Sync;

/// <summary>The stream ended before its checkpoint (a broken connection): what arrived is kept; run the sync again to resume.</summary>
public sealed class SyncInterruptedException(string message, Exception? inner = null) : Exception(message, inner);

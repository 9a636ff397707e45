namespace Credentials.Core.Ledger;

/// <summary>A signed note (or checkpoint) that must not be trusted: malformed, badly signed, or not signed by a known key.</summary>
public sealed class SignedNoteException(string message) : FormatException(message);

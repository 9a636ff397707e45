namespace Credentials.Core.Ledger;

/// <summary>One signature line of a note: key name, key id and the base64 of (key id || signature).</summary>
public sealed record NoteSignature(string Name, uint KeyId, string Base64);

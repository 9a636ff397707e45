using Credentials.Core.Signing;

namespace Credentials.Store.Keys;

/// <summary>A key file found in a <see cref="KeyFileStore"/> directory (not opened or decrypted).</summary>
/// <param name="KeyId">The key id the file is named after.</param>
/// <param name="Algorithm">The algorithm the key id's prefix names.</param>
/// <param name="Path">The file's full path.</param>
/// <param name="IsEncrypted">Whether the file holds an ENCRYPTED PRIVATE KEY, which needs a passphrase.</param>
public sealed record KeyFileEntry(string KeyId, SigningAlgorithm Algorithm, string Path, bool IsEncrypted);

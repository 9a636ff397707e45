using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Credentials.Core.Ledger;

/// <summary>
/// A note in the c2sp.org/signed-note format: a text ending in a newline, a blank line, then one line
/// "— name base64(keyid || signature)" per signature (em dash U+2014). Compatible with
/// golang.org/x/mod/sumdb/note. Its text means nothing until <see cref="Open"/> has verified a signature by a
/// trusted key.
/// </summary>
public sealed class SignedNote
{
    /// <summary>Largest note accepted: room for the 16 post-quantum-sized signatures the spec asks verifiers to allow.</summary>
    public const int MaxBytes = 128 * 1024;

    /// <summary>Most signature lines accepted.</summary>
    public const int MaxSignatures = 100;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SignedNote(string text, IReadOnlyList<NoteSignature> signatures, IReadOnlyList<NoteSignature> unverified)
    {
        Text = text;
        Signatures = signatures;
        UnverifiedSignatures = unverified;
    }

    /// <summary>The signed text, final newline included.</summary>
    public string Text { get; }

    /// <summary>Signatures verified by a known key, in note order.</summary>
    public IReadOnlyList<NoteSignature> Signatures { get; }

    /// <summary>Signatures from keys the caller did not name (for example witnesses), kept but not trusted.</summary>
    public IReadOnlyList<NoteSignature> UnverifiedSignatures { get; }

    /// <summary>Signs <paramref name="text"/> with each signer and returns the encoded note.</summary>
    /// <exception cref="ArgumentException">The text is empty, lacks its final newline or holds a control character other than newline.</exception>
    public static byte[] Sign(string text, params IReadOnlyList<NoteSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        if (text.Length == 0 || text[^1] != '\n' || HasForbiddenControl(text))
        {
            throw new ArgumentException("note text must be non-empty, end in a newline and hold no other control characters", nameof(text));
        }
        if (signers.Count == 0)
        {
            throw new ArgumentException("a note needs at least one signer", nameof(signers));
        }
        var message = Encoding.UTF8.GetBytes(text);
        var note = new StringBuilder(text).Append('\n');
        foreach (var signer in signers)
        {
            var signature = signer.Sign(message);
            var keyIdAndSignature = new byte[4 + signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(keyIdAndSignature, signer.KeyId);
            signature.CopyTo(keyIdAndSignature, 4);
            note.Append("— ").Append(signer.Name).Append(' ').Append(Convert.ToBase64String(keyIdAndSignature)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(note.ToString());
    }

    /// <summary>
    /// Parses <paramref name="message"/> and checks its signatures against <paramref name="verifiers"/>.
    /// Signatures by other keys are kept as unverified (c2sp: verifiers MUST ignore unknown keys); a signature by
    /// a known key that fails rejects the whole note, and so does a note with no verified signature.
    /// </summary>
    /// <exception cref="SignedNoteException">The note is malformed, too large, or not verified as above.</exception>
    /// <exception cref="ArgumentException">Two verifiers share a name and key id.</exception>
    public static SignedNote Open(ReadOnlySpan<byte> message, IEnumerable<NoteVerifier> verifiers)
    {
        var known = IndexVerifiers(verifiers);
        if (message.Length > MaxBytes)
        {
            throw new SignedNoteException($"note: larger than {MaxBytes} bytes");
        }
        if (!Utf8.IsValid(message) || HasForbiddenControl(message))
        {
            throw new SignedNoteException("note: not UTF-8 text, or holds a control character other than newline");
        }
        var split = message.LastIndexOf("\n\n"u8);
        if (split < 0)
        {
            throw new SignedNoteException("note: no blank line before the signatures");
        }
        var textBytes = message[..(split + 1)].ToArray();
        var block = message[(split + 2)..];
        if (block.IsEmpty || block[^1] != (byte)'\n')
        {
            throw new SignedNoteException("note: no signature lines, or the last one does not end in a newline");
        }

        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        var seenKnown = new HashSet<(string, uint)>();
        var seenUnknownLines = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var line in StrictUtf8.GetString(block)[..^1].Split('\n'))
        {
            if (++count > MaxSignatures)
            {
                throw new SignedNoteException($"note: more than {MaxSignatures} signatures");
            }
            var (signature, bytes) = ParseSignatureLine(line);
            if (!known.TryGetValue((signature.Name, signature.KeyId), out var verifier))
            {
                if (seenUnknownLines.Add(line))
                {
                    unverified.Add(signature);
                }
                continue;
            }
            if (!seenKnown.Add((signature.Name, signature.KeyId)))
            {
                continue;
            }
            if (!verifier.Verify(textBytes, bytes[4..]))
            {
                throw new SignedNoteException($"note: invalid signature for key {signature.Name}+{signature.KeyId:x8}");
            }
            verified.Add(signature);
        }
        if (verified.Count == 0)
        {
            throw new SignedNoteException("note: no verified signature from a known key");
        }
        return new SignedNote(StrictUtf8.GetString(textBytes), verified, unverified);
    }

    private static (NoteSignature Signature, byte[] Bytes) ParseSignatureLine(string line)
    {
        if (!line.StartsWith("— ", StringComparison.Ordinal))
        {
            throw new SignedNoteException("note: a signature line must start with an em dash and a space");
        }
        var rest = line[2..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? rest : rest[..space];
        var base64 = space < 0 ? "" : rest[(space + 1)..];
        if (!NoteKeys.IsValidName(name) || !NoteKeys.TryDecodeBase64(base64, out var bytes) || bytes.Length < 5)
        {
            throw new SignedNoteException("note: a signature line must be '— name base64(keyid || signature)'");
        }
        return (new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), base64), bytes);
    }

    private static Dictionary<(string, uint), NoteVerifier> IndexVerifiers(IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        var known = new Dictionary<(string, uint), NoteVerifier>();
        foreach (var verifier in verifiers)
        {
            var key = (verifier.Name, verifier.KeyId);
            if (known.TryGetValue(key, out var other) && other.VerifierKey != verifier.VerifierKey)
            {
                throw new ArgumentException($"ambiguous note keys {verifier.Name}+{verifier.KeyId:x8}", nameof(verifiers));
            }
            known[key] = verifier;
        }
        return known;
    }

    private static bool HasForbiddenControl(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
        {
            if (b < 0x20 && b != (byte)'\n')
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasForbiddenControl(string text) => text.Any(c => c < 0x20 && c != '\n');
}

using System.Globalization;
using System.Text;

namespace Credentials.Core.Ledger;

/// <summary>
/// A signed tree head in the c2sp.org/tlog-checkpoint format: the note text is the origin line, the tree size
/// in decimal, the base64 root hash and optional extension lines, each ending in a newline.
/// </summary>
public sealed class Checkpoint
{
    private readonly byte[] _rootHash;

    /// <exception cref="ArgumentException">A field cannot be written as a checkpoint line.</exception>
    public Checkpoint(string origin, long size, ReadOnlySpan<byte> rootHash, IEnumerable<string>? extensions = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (!IsLine(origin))
        {
            throw new ArgumentException("origin must be a non-empty line without control characters", nameof(origin));
        }
        if (rootHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"root hash must be {MerkleHash.Size} bytes", nameof(rootHash));
        }
        var lines = extensions?.ToArray() ?? [];
        if (!lines.All(IsLine))
        {
            throw new ArgumentException("extension lines must be non-empty lines without control characters", nameof(extensions));
        }
        Origin = origin;
        Size = size;
        _rootHash = rootHash.ToArray();
        Extensions = lines;
    }

    /// <summary>The log's identity, e.g. "credentials.example.cn/ledger"; the signing key's name should match it.</summary>
    public string Origin { get; }

    /// <summary>Leaves in the tree.</summary>
    public long Size { get; }

    /// <summary>MTH of the tree.</summary>
    public ReadOnlySpan<byte> RootHash => _rootHash;

    /// <summary>Opaque extension lines; the spec discourages them (monitors cannot audit them).</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The note text: origin, size, base64 root, extensions, each line ending in "\n".</summary>
    public string ToNoteText()
    {
        var text = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(_rootHash)).Append('\n');
        foreach (var line in Extensions)
        {
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The signed note of this checkpoint.</summary>
    public byte[] Sign(NoteSigner signer) => SignedNote.Sign(ToNoteText(), signer);

    /// <summary>
    /// Opens a signed checkpoint: it must carry a valid signature by <paramref name="verifier"/> (others are
    /// ignored), parse strictly and name <paramref name="origin"/>.
    /// </summary>
    /// <exception cref="SignedNoteException">Anything else; the message names what is wrong.</exception>
    public static Checkpoint Open(ReadOnlySpan<byte> signedNote, string origin, NoteVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var checkpoint = ParseNoteText(SignedNote.Open(signedNote, [verifier]).Text);
        if (checkpoint.Origin != origin)
        {
            throw new SignedNoteException("checkpoint origin: not the expected log");
        }
        return checkpoint;
    }

    /// <summary>Parses checkpoint note text (already verified by the caller).</summary>
    /// <exception cref="SignedNoteException">A line is missing or malformed; the message names it.</exception>
    public static Checkpoint ParseNoteText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new SignedNoteException("checkpoint: text must end in a newline");
        }
        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            throw new SignedNoteException("checkpoint: needs origin, tree size and root hash lines");
        }
        if (!IsLine(lines[0]))
        {
            throw new SignedNoteException("checkpoint origin: must be a non-empty line");
        }
        if (!IsCanonicalDecimal(lines[1])
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new SignedNoteException("checkpoint tree size: must be a decimal number without leading zeros");
        }
        if (!NoteKeys.TryDecodeBase64(lines[2], out var root) || root.Length != MerkleHash.Size)
        {
            throw new SignedNoteException($"checkpoint root hash: must be the base64 of {MerkleHash.Size} bytes");
        }
        if (!lines.Skip(3).All(IsLine))
        {
            throw new SignedNoteException("checkpoint extension lines: must not be empty");
        }
        return new Checkpoint(lines[0], size, root, lines.Skip(3));
    }

    private static bool IsCanonicalDecimal(string s) =>
        s.Length > 0 && s.All(char.IsAsciiDigit) && (s == "0" || s[0] != '0');

    private static bool IsLine(string? s) => !string.IsNullOrEmpty(s) && !s.Any(char.IsControl);
}

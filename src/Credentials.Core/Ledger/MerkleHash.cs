using System.Buffers;
using System.Security.Cryptography;

namespace Credentials.Core.Ledger;

/// <summary>
/// The hashing of RFC 9162 section 2.1.1 with SHA-256: a leaf is SHA-256(0x00 || data), an interior node
/// SHA-256(0x01 || left || right), and the empty tree SHA-256 of the empty string. The distinct prefixes keep a
/// leaf from ever being passed off as a node.
/// </summary>
public static class MerkleHash
{
    /// <summary>Bytes in every hash of the log.</summary>
    public const int Size = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;
    private const int StackLimit = 1024;

    private static readonly byte[] EmptyRootHash = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>MTH({}) = SHA-256(""), the root of the tree with no leaves.</summary>
    public static ReadOnlySpan<byte> EmptyRoot => EmptyRootHash;

    /// <summary>The leaf hash of one ledger event's bytes.</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        HashLeaf(data, hash);
        return hash;
    }

    /// <inheritdoc cref="HashLeaf(ReadOnlySpan{byte})"/>
    public static void HashLeaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var length = data.Length + 1;
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        buffer[0] = LeafPrefix;
        data.CopyTo(buffer[1..]);
        SHA256.HashData(buffer[..length], destination);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The hash of an interior node from its two children.</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        HashChildren(left, right, hash);
        return hash;
    }

    /// <inheritdoc cref="HashChildren(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    /// <remarks><paramref name="destination"/> may overlap either child.</remarks>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != Size || right.Length != Size)
        {
            throw new ArgumentException($"child hashes must be {Size} bytes (left {left.Length}, right {right.Length})");
        }
        Span<byte> buffer = stackalloc byte[1 + 2 * Size];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        SHA256.HashData(buffer, destination);
    }
}

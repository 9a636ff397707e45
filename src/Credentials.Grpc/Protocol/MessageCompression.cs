using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Credentials.Grpc.Protocol;

/// <summary>The message encodings this layer speaks: identity, gzip and deflate (zlib).</summary>
public static class MessageCompression
{
    public const string Identity = "identity";
    public const string Gzip = "gzip";
    public const string Deflate = "deflate";

    /// <summary>The value of <c>grpc-accept-encoding</c>.</summary>
    public const string AcceptEncoding = "identity,gzip,deflate";

    /// <summary>The smallest whole streams: header, one empty final block, trailer.</summary>
    private static ReadOnlySpan<byte> EmptyGzip => [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static ReadOnlySpan<byte> EmptyZlib => [0x78, 0x9C, 3, 0, 0, 0, 0, 1];

    public static bool IsSupported(string encoding) =>
        encoding is Identity or Gzip or Deflate;

    /// <summary>
    /// Decompresses a message; throws RESOURCE_EXHAUSTED as soon as the output would exceed
    /// <paramref name="maxSize"/>, so a small "zip bomb" cannot allocate more than the limit,
    /// and INTERNAL for data that is not one whole compressed stream.
    /// </summary>
    public static byte[] Decompress(string encoding, ReadOnlySequence<byte> payload, int maxSize)
    {
        using var input = new SequenceStream(payload);
        using Stream decompressor = encoding switch
        {
            Gzip => new GZipStream(input, CompressionMode.Decompress),
            Deflate => new ZLibStream(input, CompressionMode.Decompress),
            _ => throw new RpcException(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'."),
        };
        var output = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = decompressor.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > maxSize)
                {
                    throw new RpcException(StatusCode.ResourceExhausted,
                        $"Decompressed message exceeds the limit of {maxSize} bytes.");
                }
                output.Write(buffer, 0, read);
            }
            CheckTrailer(encoding, payload, output.GetBuffer().AsSpan(0, (int)output.Length));
        }
        catch (InvalidDataException)
        {
            throw new RpcException(StatusCode.Internal, $"The message is not valid {encoding} data.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return output.ToArray();
    }

    /// <summary>
    /// GZipStream and ZLibStream end quietly when their input stops mid-stream, handing back a
    /// prefix of the message. A trailer that is there they check themselves (gzip: CRC-32 and
    /// size; zlib: Adler-32), so a stream is whole when it ends with the trailer of what came
    /// out: the size for gzip, the Adler-32 for zlib. One gzip member, as every gRPC peer writes.
    /// Shorter than the smallest whole stream (the empty one) is a cut inside the header.
    /// </summary>
    private static void CheckTrailer(string encoding, ReadOnlySequence<byte> payload, ReadOnlySpan<byte> output)
    {
        if (payload.Length < (encoding == Gzip ? EmptyGzip.Length : EmptyZlib.Length))
        {
            throw new InvalidDataException("The compressed stream is truncated.");
        }
        Span<byte> last = stackalloc byte[4];
        payload.Slice(payload.Length - 4).CopyTo(last);
        var whole = encoding == Gzip
            ? BinaryPrimitives.ReadUInt32LittleEndian(last) == (uint)output.Length
            : BinaryPrimitives.ReadUInt32BigEndian(last) == Adler32.Compute(output);
        if (!whole)
        {
            throw new InvalidDataException("The compressed stream is truncated.");
        }
    }

    /// <summary>
    /// Compresses a message. For no bytes at all, GZipStream and ZLibStream write nothing, which
    /// no peer can decompress; an empty message then gets the smallest whole stream instead.
    /// </summary>
    public static byte[] Compress(string encoding, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return encoding switch
            {
                Gzip => EmptyGzip.ToArray(),
                Deflate => EmptyZlib.ToArray(),
                _ => throw new ArgumentException($"Unsupported encoding '{encoding}'.", nameof(encoding)),
            };
        }
        var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            Deflate => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => throw new ArgumentException($"Unsupported encoding '{encoding}'.", nameof(encoding)),
        })
        {
            compressor.Write(payload);
        }
        return output.ToArray();
    }

    /// <summary>A read-only stream over a ReadOnlySequence, so decompression needs no copy first.</summary>
    private sealed class SequenceStream(ReadOnlySequence<byte> sequence) : Stream
    {
        private ReadOnlySequence<byte> _remaining = sequence;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, _remaining.Length);
            _remaining.Slice(0, n).CopyTo(buffer);
            _remaining = _remaining.Slice(n);
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

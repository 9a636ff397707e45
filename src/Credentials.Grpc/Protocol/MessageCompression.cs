using System.Buffers;
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

    public static bool IsSupported(string encoding) =>
        encoding is Identity or Gzip or Deflate;

    /// <summary>
    /// Decompresses a message; throws RESOURCE_EXHAUSTED as soon as the output would exceed
    /// <paramref name="maxSize"/>, so a small "zip bomb" cannot allocate more than the limit.
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

    public static byte[] Compress(string encoding, ReadOnlySpan<byte> payload)
    {
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

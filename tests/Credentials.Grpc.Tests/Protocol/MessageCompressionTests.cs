using System.Buffers;
using Credentials.Grpc.Protocol;

namespace Credentials.Grpc.Tests.Protocol;

public sealed class MessageCompressionTests
{
    private static readonly byte[] Text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("certificate record ", 200)));

    [Theory]
    [InlineData(MessageCompression.Gzip)]
    [InlineData(MessageCompression.Deflate)]
    public void Decompress_WhatCompressWrote_TheSameBytes(string encoding)
    {
        var compressed = MessageCompression.Compress(encoding, Text);

        Assert.Equal(Text, MessageCompression.Decompress(encoding, new ReadOnlySequence<byte>(compressed), Text.Length));
    }

    [Theory]
    [InlineData(MessageCompression.Gzip)]
    [InlineData(MessageCompression.Deflate)]
    public void Decompress_OneByteOverTheLimit_ResourceExhausted(string encoding)
    {
        var compressed = MessageCompression.Compress(encoding, Text);

        var error = Assert.Throws<RpcException>(() => MessageCompression.Decompress(encoding, new ReadOnlySequence<byte>(compressed), Text.Length - 1));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Theory]
    [InlineData(MessageCompression.Gzip)]
    [InlineData(MessageCompression.Deflate)]
    public void Decompress_TruncatedStream_Internal(string encoding)
    {
        var compressed = MessageCompression.Compress(encoding, Text);
        var truncated = compressed.AsMemory(0, compressed.Length / 2);

        var error = Assert.Throws<RpcException>(() => MessageCompression.Decompress(encoding, new ReadOnlySequence<byte>(truncated), int.MaxValue));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Theory]
    [InlineData(MessageCompression.Gzip)]
    [InlineData(MessageCompression.Deflate)]
    public void Decompress_TrailerCut_Internal(string encoding)
    {
        // The data blocks are whole; only the checksum trailer is missing.
        var compressed = MessageCompression.Compress(encoding, Text);
        var trailerLength = encoding == MessageCompression.Gzip ? 8 : 4;
        var cut = compressed.AsMemory(0, compressed.Length - trailerLength);

        var error = Assert.Throws<RpcException>(() => MessageCompression.Decompress(encoding, new ReadOnlySequence<byte>(cut), int.MaxValue));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Theory]
    [InlineData(MessageCompression.Gzip)]
    [InlineData(MessageCompression.Deflate)]
    public void Decompress_EveryCutPoint_NeverSucceeds(string encoding)
    {
        var mixed = new byte[6_000];
        new Random(7).NextBytes(mixed.AsSpan(0, 3_000));
        foreach (var payload in new[] { Text, mixed })
        {
            AssertEveryCutFails(encoding, MessageCompression.Compress(encoding, payload));
        }
    }

    private static void AssertEveryCutFails(string encoding, byte[] compressed)
    {
        for (var length = 0; length < compressed.Length; length++)
        {
            var cut = new ReadOnlySequence<byte>(compressed.AsMemory(0, length));
            var error = Record.Exception(() => MessageCompression.Decompress(encoding, cut, int.MaxValue));
            Assert.True(error is RpcException { StatusCode: StatusCode.Internal }, $"Cut at {length} of {compressed.Length} bytes: {error}");
        }
    }

    [Theory]
    [InlineData(MessageCompression.Gzip)]
    [InlineData(MessageCompression.Deflate)]
    public void Decompress_WholeStreamsOfManySizes_NeverMistakenForTruncated(string encoding)
    {
        var random = new Random(20250601);
        foreach (var size in Enumerable.Range(0, 300).Concat([1_000, 16_383, 16_384, 16_385, 65_536, 200_000]))
        {
            var payload = new byte[size];
            random.NextBytes(payload.AsSpan(0, size / 2));
            var compressed = MessageCompression.Compress(encoding, payload);

            Assert.Equal(payload, MessageCompression.Decompress(encoding, new ReadOnlySequence<byte>(compressed), int.MaxValue));
        }
    }

    [Fact]
    public void Decompress_SplitAcrossSegments_TheSameBytes()
    {
        var compressed = MessageCompression.Compress(MessageCompression.Gzip, Text);
        var segmented = Segments.Of(compressed, 7);

        Assert.Equal(Text, MessageCompression.Decompress(MessageCompression.Gzip, segmented, int.MaxValue));
    }

    /// <summary>A sequence of many small segments, as a pipe hands over a message split across DATA frames.</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(byte[] bytes, int size)
        {
            var first = new Segments(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
            var last = first;
            for (var offset = size; offset < bytes.Length; offset += size)
            {
                var next = new Segments(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), offset);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}

using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace Credentials.Grpc.Protocol;

/// <summary>
/// Length-prefixed messages: a compressed-flag byte, a big-endian uint32 length, the bytes.
/// Shared by the server (request bodies) and the client (response bodies).
/// </summary>
public static class MessageFrame
{
    /// <summary>Messages up to this size are written into one buffer; larger ones in chunks.</summary>
    private const int SingleSpanLimit = 64 * 1024;

    /// <summary>
    /// Takes one whole message off the front of <paramref name="buffer"/> when it is all there.
    /// Throws INTERNAL for a flag other than 0 or 1, RESOURCE_EXHAUSTED for a declared length
    /// over <paramref name="maxSize"/> (before waiting for the bytes).
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxSize, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < GrpcProtocol.MessagePrefixSize)
        {
            return false;
        }
        Span<byte> prefix = stackalloc byte[GrpcProtocol.MessagePrefixSize];
        buffer.Slice(0, GrpcProtocol.MessagePrefixSize).CopyTo(prefix);
        compressed = prefix[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(StatusCode.Internal, $"Invalid compressed flag {prefix[0]} in message prefix."),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (length > (uint)maxSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {maxSize}).");
        }
        if (buffer.Length - GrpcProtocol.MessagePrefixSize < length)
        {
            return false;
        }
        payload = buffer.Slice(GrpcProtocol.MessagePrefixSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>Parses a payload, decompressing it with the call's encoding when flagged.</summary>
    public static T Parse<T>(MessageParser<T> parser, bool compressed, in ReadOnlySequence<byte> payload, string? encoding, int maxSize)
        where T : IMessage<T>
    {
        var message = payload;
        if (compressed)
        {
            if (encoding is null or MessageCompression.Identity)
            {
                throw new RpcException(StatusCode.Internal,
                    "Message has the compressed flag set but the call has no grpc-encoding.");
            }
            message = new ReadOnlySequence<byte>(MessageCompression.Decompress(encoding, payload, maxSize));
        }
        try
        {
            return parser.ParseFrom(message);
        }
        catch (InvalidProtocolBufferException)
        {
            // Invalid UTF-8 in a string field is one cause: the host may say which field (UnparsableMessageException).
            throw new UnparsableMessageException(parser.ParseFrom(ReadOnlySequence<byte>.Empty).Descriptor, message.ToArray());
        }
        catch (ArgumentException)
        {
            throw new RpcException(StatusCode.Internal, "Failed to deserialize message.");
        }
    }

    /// <summary>Writes one message with its prefix, compressed with <paramref name="encoding"/> when given.</summary>
    public static void Write(IBufferWriter<byte> writer, IMessage message, string? encoding, int maxSize)
    {
        var size = message.CalculateSize();
        // An empty message goes uncompressed: the flag is per message, and there is nothing to gain.
        if (size > 0 && encoding is not null and not MessageCompression.Identity)
        {
            var compressed = MessageCompression.Compress(encoding, message.ToByteArray());
            CheckSendSize(compressed.Length, maxSize);
            WritePrefix(writer, compressed: true, compressed.Length);
            writer.Write(compressed);
            return;
        }
        CheckSendSize(size, maxSize);
        if (size <= SingleSpanLimit)
        {
            var span = writer.GetSpan(GrpcProtocol.MessagePrefixSize + size);
            span[0] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
            message.WriteTo(span.Slice(GrpcProtocol.MessagePrefixSize, size));
            writer.Advance(GrpcProtocol.MessagePrefixSize + size);
        }
        else
        {
            WritePrefix(writer, compressed: false, size);
            message.WriteTo(writer);
        }
    }

    private static void WritePrefix(IBufferWriter<byte> writer, bool compressed, int length)
    {
        var span = writer.GetSpan(GrpcProtocol.MessagePrefixSize);
        span[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        writer.Advance(GrpcProtocol.MessagePrefixSize);
    }

    private static void CheckSendSize(int size, int maxSize)
    {
        if (size > maxSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted, $"Sending message larger than max ({size} vs. {maxSize}).");
        }
    }
}

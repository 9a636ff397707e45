using System.Buffers.Binary;
using Credentials.Grpc.Protocol;
using Google.Protobuf;

namespace Credentials.Grpc.Tests.Support;

/// <summary>Request bodies byte by byte: prefixes and messages, well-formed or not.</summary>
public static class GrpcFrame
{
    public static byte[] Of(IMessage message) => Of(message.ToByteArray());

    /// <summary>A message with a correct length prefix and the given compressed flag.</summary>
    public static byte[] Of(byte[] payload, byte flag = 0) => [.. Prefix(flag, (uint)payload.Length), .. payload];

    /// <summary>A prefix alone, declaring any length.</summary>
    public static byte[] Prefix(byte flag, uint length)
    {
        var prefix = new byte[GrpcProtocol.MessagePrefixSize];
        prefix[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), length);
        return prefix;
    }
}

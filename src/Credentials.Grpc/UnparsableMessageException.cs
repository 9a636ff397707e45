using Google.Protobuf.Reflection;

namespace Credentials.Grpc;

/// <summary>
/// A message that Google.Protobuf refused to parse: INTERNAL, unless the host's exception mapper
/// finds the caller at fault (a string field that is not UTF-8 is INVALID_ARGUMENT naming the field).
/// </summary>
public sealed class UnparsableMessageException(MessageDescriptor descriptor, byte[] payload)
    : RpcException(StatusCode.Internal, "Failed to deserialize message.")
{
    /// <summary>The type the message should have been.</summary>
    public MessageDescriptor Descriptor { get; } = descriptor;

    /// <summary>The message's bytes, decompressed.</summary>
    public byte[] Payload { get; } = payload;
}

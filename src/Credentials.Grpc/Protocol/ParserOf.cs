using System.Reflection;
using Google.Protobuf;

namespace Credentials.Grpc.Protocol;

/// <summary>The generated static <c>Parser</c> of a message type, looked up once per type.</summary>
public static class ParserOf<T> where T : IMessage<T>
{
    public static readonly MessageParser<T> Parser =
        (MessageParser<T>)(typeof(T).GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? throw new InvalidOperationException($"{typeof(T)} has no static Parser property."));
}

using System.IO.Pipelines;
using Google.Protobuf;

namespace Credentials.Grpc.Protocol;

/// <summary>Reads length-prefixed messages from a pipe: a request body, or a response body.</summary>
internal sealed class MessageReader(PipeReader reader, int maxSize, string? encoding)
{
    /// <summary>The next message, or default at a clean end of the stream.</summary>
    public async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            bool complete;
            T? message = null;
            try
            {
                complete = MessageFrame.TryRead(ref buffer, maxSize, out var compressed, out var payload);
                if (complete)
                {
                    message = MessageFrame.Parse(parser, compressed, payload, encoding, maxSize);
                }
            }
            catch
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw;
            }
            if (complete)
            {
                reader.AdvanceTo(buffer.Start);
                return message;
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                reader.AdvanceTo(buffer.End);
                if (buffer.IsEmpty)
                {
                    return null;
                }
                throw new RpcException(StatusCode.Internal, "Incomplete message: the stream ended inside a message.");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>True when the stream ends with no further byte; false as soon as one arrives.</summary>
    public async ValueTask<bool> IsAtEndAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var empty = result.Buffer.IsEmpty;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (!empty)
            {
                return false;
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                return true;
            }
        }
    }
}

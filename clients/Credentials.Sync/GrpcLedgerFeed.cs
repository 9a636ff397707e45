using System.Runtime.CompilerServices;
using Credentials.Grpc;
using Credentials.Grpc.Client;
using Credentials.V1;

namespace Credentials.Sync;

/// <summary>credentials.v1.LedgerService over our gRPC client, with the platform's bearer token.</summary>
public sealed class GrpcLedgerFeed(GrpcChannel channel, string? token) : ILedgerFeed
{
    private const string Service = "/credentials.v1.LedgerService/";

    public async Task<GetCheckpointResponse> GetCheckpointAsync(CancellationToken cancellationToken)
    {
        using var call = channel.UnaryCall<GetCheckpointRequest, GetCheckpointResponse>(Service + "GetCheckpoint", new GetCheckpointRequest(), Options(cancellationToken));
        return await call.ResponseAsync;
    }

    public async Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long firstTreeSize, long secondTreeSize, CancellationToken cancellationToken)
    {
        using var call = channel.UnaryCall<GetConsistencyProofRequest, GetConsistencyProofResponse>(Service + "GetConsistencyProof",
            new GetConsistencyProofRequest { FirstTreeSize = firstTreeSize, SecondTreeSize = secondTreeSize }, Options(cancellationToken));
        return [.. (await call.ResponseAsync).Hashes.Select(h => h.ToByteArray())];
    }

    public async IAsyncEnumerable<StreamEventsResponse> StreamEventsAsync(long startIndex, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = channel.ServerStreamingCall<StreamEventsRequest, StreamEventsResponse>(Service + "StreamEvents",
            new StreamEventsRequest { StartIndex = startIndex, BatchSize = 1000 }, Options(cancellationToken));
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            yield return call.ResponseStream.Current;
        }
    }

    private CallOptions Options(CancellationToken cancellationToken)
    {
        Metadata headers = [];
        if (!string.IsNullOrEmpty(token))
        {
            headers.Add("authorization", "Bearer " + token);
        }
        return new CallOptions(headers, CancellationToken: cancellationToken);
    }
}

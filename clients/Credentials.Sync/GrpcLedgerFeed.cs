using System.Runtime.CompilerServices;
using Credentials.V1;
using Grpc.Core;

namespace Credentials.Sync;

/// <summary>credentials.v1.LedgerService through its generated client (the platform's token is on the client's call invoker).</summary>
public sealed class GrpcLedgerFeed(LedgerService.LedgerServiceClient client) : ILedgerFeed
{
    public async Task<GetCheckpointResponse> GetCheckpointAsync(CancellationToken cancellationToken) =>
        await client.GetCheckpointAsync(new GetCheckpointRequest(), cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long firstTreeSize, long secondTreeSize, CancellationToken cancellationToken)
    {
        var response = await client.GetConsistencyProofAsync(
            new GetConsistencyProofRequest { FirstTreeSize = firstTreeSize, SecondTreeSize = secondTreeSize }, cancellationToken: cancellationToken);
        return [.. response.Hashes.Select(h => h.ToByteArray())];
    }

    public async IAsyncEnumerable<StreamEventsResponse> StreamEventsAsync(long startIndex, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = client.StreamEvents(new StreamEventsRequest { StartIndex = startIndex, BatchSize = 1000 }, cancellationToken: cancellationToken);
        await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return message;
        }
    }
}

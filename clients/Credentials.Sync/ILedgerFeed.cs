using Credentials.V1;

namespace Credentials.Sync;

/// <summary>What the sync needs from the log: LedgerService over gRPC, or a fake in tests.</summary>
public interface ILedgerFeed
{
    Task<GetCheckpointResponse> GetCheckpointAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long firstTreeSize, long secondTreeSize, CancellationToken cancellationToken);

    /// <summary>Every event from <paramref name="startIndex"/> on, batch by batch, then the closing checkpoint message.</summary>
    IAsyncEnumerable<StreamEventsResponse> StreamEventsAsync(long startIndex, CancellationToken cancellationToken);
}

using Credentials.Core.Principals;
using Credentials.Server.Tests.Integrity;
using Credentials.Store;
using Credentials.Testing;
using Credentials.V1;
using Dapper;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Ledger;

/// <summary>A seeded server with a few certificates and a platform token; calls and checks the ledger tests share.</summary>
public abstract class LedgerServerTest : SeededServerTest
{
    /// <summary>The token of the provincial platform ("platform").</summary>
    protected string Platform { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Platform = await Server.AddPrincipalAsync("platform", Role.Platform);
        for (var person = 1; person <= 3; person++)
        {
            await Server.IssueAsync(person, Committee);
        }
    }

    protected Task<GetCheckpointResponse> CheckpointAsync(string? token = null) =>
        Server.Ledger(token).GetCheckpointAsync(new GetCheckpointRequest()).ResponseAsync;

    protected Task<GetInclusionProofResponse> InclusionAsync(GetInclusionProofRequest request, string? token = "") =>
        Server.Ledger(token == "" ? Platform : token).GetInclusionProofAsync(request).ResponseAsync;

    protected Task<GetConsistencyProofResponse> ConsistencyAsync(long first, long second, string? token = null) =>
        Server.Ledger(token).GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstTreeSize = first, SecondTreeSize = second }).ResponseAsync;

    /// <summary>Reads the whole response stream of StreamEvents.</summary>
    protected async Task<List<StreamEventsResponse>> StreamAsync(StreamEventsRequest request, string? token = "")
    {
        using var call = Server.Ledger(token == "" ? Platform : token).StreamEvents(request);
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    /// <summary>Every stored event's bytes, in leaf order.</summary>
    protected byte[][] StoredEvents()
    {
        using var connection = Server.Services.GetRequiredService<Database>().OpenReader();
        return [.. connection.Query<byte[]>("SELECT body FROM ledger_events ORDER BY seq")];
    }

    /// <summary>The leaf hashes of the stored events, by the reference implementation.</summary>
    protected byte[][] ReferenceLeaves() => [.. StoredEvents().Select(b => ReferenceMerkle.Leaf(b))];

    /// <summary>The call fails with <paramref name="status"/> and a BadRequest naming <paramref name="field"/>.</summary>
    protected static async Task<RpcException> AssertRefusedAsync(StatusCode status, string field, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(field, error.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field) ?? []);
        return error;
    }
}

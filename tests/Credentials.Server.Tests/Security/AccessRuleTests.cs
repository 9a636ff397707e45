using Credentials.Server.Tests.Security.Hostile;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Credentials.Server.Tests.Security;

/// <summary>
/// Who may call what, as a client sees it. That every method serves its callers is the hostile suite's base request
/// (each method, called as its role, answers); here, without a token, only the public methods answer at all.
/// VerifyStream, the one method that takes a stream, has its own test (VerifyStreamTests).
/// </summary>
public sealed class AccessRuleTests
{
    /// <summary>Anyone may ping, verify a certificate (by number, envelope or share code), read the signing keys and check the ledger's consistency.</summary>
    private static readonly MethodDescriptor[] Public =
    [
        Contract.MethodTaking<PingRequest>(),
        Contract.MethodTaking<VerifyCertificateRequest>(),
        Contract.MethodTaking<VerifyEnvelopeRequest>(),
        Contract.MethodTaking<VerifyShareCodeRequest>(),
        Contract.MethodTaking<ListSigningKeysRequest>(),
        Contract.MethodTaking<GetCheckpointRequest>(),
        Contract.MethodTaking<GetConsistencyProofRequest>(),
    ];

    [Fact]
    public async Task EveryMethod_WithoutToken_IsUnauthenticatedUnlessItIsPublic()
    {
        await using var server = await TestServer.StartAsync();
        var answers = new Dictionary<string, StatusCode>();

        foreach (var @case in HostileCases.All)
        {
            // An empty request: a public method may refuse it, but not for want of a token.
            var request = @case.Method.InputType.Parser.ParseFrom(ByteString.Empty);
            try
            {
                await @case.Call(server, null, request);
                answers[@case.Method.FullName] = StatusCode.OK;
            }
            catch (RpcException e)
            {
                answers[@case.Method.FullName] = e.StatusCode;
            }
        }

        var answered = answers.Where(a => a.Value is not StatusCode.Unauthenticated).ToList();
        Assert.Equal(Public.Select(m => m.FullName).Order(StringComparer.Ordinal), answered.Select(a => a.Key).Order(StringComparer.Ordinal));
        Assert.All(answered, a => Assert.True(a.Value is StatusCode.OK or StatusCode.InvalidArgument, $"{a.Key}: {a.Value}"));
    }
}

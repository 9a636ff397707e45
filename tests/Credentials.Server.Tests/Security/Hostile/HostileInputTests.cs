using System.Security.Cryptography;
using Credentials.Server.Verification;
using Credentials.Store;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Credentials.Server.Tests.Security.Hostile;

/// <summary>
/// Every method of the contract, fed hostile variants of a valid request (see
/// <see cref="RequestMutations"/>): strict variants must be INVALID_ARGUMENT with a
/// BadRequest naming the field; every variant must get a clean answer (never UNKNOWN or
/// INTERNAL); and after every refused call the database files are byte-for-byte unchanged.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private static readonly StatusCode[] Unclean = [StatusCode.Unknown, StatusCode.Internal, StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.DataLoss];

    public static TheoryData<string> Methods => new(HostileCases.All.Select(c => c.Method.FullName));

    [Fact]
    public void Cases_CoverEveryMethodOfTheContractThatTakesOneRequest()
    {
        var expected = Contract.Methods.Where(m => !m.IsClientStreaming).Select(m => m.FullName).Order(StringComparer.Ordinal);

        Assert.Equal(expected, HostileCases.All.Select(c => c.Method.FullName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task EveryField_HostileValue_IsRefusedCleanlyNamingTheFieldAndWritesNothing(string method)
    {
        var @case = HostileCases.All.Single(c => c.Method.FullName == method);
        await using var server = await TestServer.StartAsync();
        var context = await HostileContext.CreateAsync(server);
        var request = @case.Request(context);
        var token = @case.Token(context);

        // The valid request itself must be answered without error, or the variants prove nothing.
        var baseline = await CallAsync(server, @case, RequestMutations.Copy(request), token);
        Assert.True(baseline is null, $"{method}: the valid base request failed: {baseline?.Status}");

        var failures = new List<string>();
        var tried = 0;
        foreach (var mutation in RequestMutations.For(request, @case.Ignored))
        {
            var hostile = RequestMutations.Copy(request);
            mutation.Apply(hostile);
            // Answered verifications are logged in the background: written before the fingerprint, not during it.
            await server.Services.GetRequiredService<VerificationLog>().FlushAsync();
            var before = DatabaseFingerprint(server);
            var error = await CallAsync(server, @case, hostile, token);
            tried++;
            if (Judge(mutation, error) is { } problem)
            {
                failures.Add($"{mutation}: {problem}");
            }
            if (error is not null && !before.SequenceEqual(DatabaseFingerprint(server)))
            {
                failures.Add($"{mutation}: refused with {error.StatusCode} but the database changed");
            }
        }

        output.WriteLine($"{method}: {tried} hostile requests, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{method}:\n{string.Join('\n', failures)}");
        Assert.True(tried > 0 || request.Descriptor.Fields.InDeclarationOrder().Count == 0);
    }

    private static string? Judge(RequestMutations.Mutation mutation, RpcException? error)
    {
        if (error is null)
        {
            return mutation.Strict ? "accepted" : null;
        }
        if (Unclean.Contains(error.StatusCode))
        {
            return $"unclean status {error.StatusCode}: {error.Status.Detail}";
        }
        if (error.StatusCode != StatusCode.InvalidArgument)
        {
            return mutation.Strict ? $"{error.StatusCode} instead of INVALID_ARGUMENT" : null;
        }
        var fields = error.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
        var named = fields.Any(f => f == mutation.Path || f.StartsWith(mutation.Path + ".", StringComparison.Ordinal)
            || f.StartsWith(mutation.Path + "[", StringComparison.Ordinal));
        return named || (!mutation.Strict && fields.Count > 0) ? null : $"INVALID_ARGUMENT naming [{string.Join(", ", fields)}]";
    }

    /// <summary>SHA-256 over the database and its WAL, as they are on disk.</summary>
    private static byte[] DatabaseFingerprint(TestServer server)
    {
        var path = server.Services.GetRequiredService<Database>().Path;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[stream.Length];
            stream.ReadExactly(buffer);
            hash.AppendData(buffer);
        }
        return hash.GetHashAndReset();
    }

    /// <summary>Calls the method with a request of its type; returns the error, or null when it succeeded.</summary>
    private static async Task<RpcException?> CallAsync(TestServer server, HostileCase @case, IMessage request, string? token)
    {
        try
        {
            await @case.Call(server, token, request);
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }
}

/// <summary>
/// A method, a valid request for it, the token to call with, fields the server ignores by contract (output only), and
/// the call on its generated client: the whole call, to the end of its response stream if it has one.
/// </summary>
public sealed record HostileCase(
    MethodDescriptor Method,
    Func<HostileContext, IMessage> Request,
    Func<HostileContext, string?> Token,
    IReadOnlySet<string> Ignored,
    Func<TestServer, string?, IMessage, Task> Call);

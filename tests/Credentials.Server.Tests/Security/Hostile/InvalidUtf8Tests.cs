using System.Collections;
using System.Net;
using System.Text;
using Credentials.Core.Principals;
using Credentials.Server.Tests.Certificates;
using Credentials.Server.Verification;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Credentials.Server.Tests.Security.Hostile;

/// <summary>
/// Invalid UTF-8 in string fields, as a client that is not ours can send it: the request is built as
/// protobuf bytes, a placeholder in one string field at a time is overwritten with bytes that are not
/// UTF-8 (a lone 0xFF, a stray continuation byte, an overlong form, a cut sequence, an encoded
/// surrogate, a code point past U+10FFFF), and the bytes go out over real HTTP/2 with HttpClient. Every
/// field must be refused with INVALID_ARGUMENT naming it, and the database files must be byte for byte
/// what they were: nothing U+FFFD-mangled is stored, signed or logged to the ledger.
/// </summary>
public sealed class InvalidUtf8Tests(ITestOutputHelper output)
{
    /// <summary>Eight ASCII bytes that the request holds nowhere else, overwritten in place so every length prefix stays right.</summary>
    private static readonly byte[] Placeholder = "~UTF8~8~"u8.ToArray();

    private static readonly byte[][] NotUtf8 =
    [
        [0xE5, 0xBC, 0xA0, 0xFF, 0xE4, 0xBC, 0x9F, 0x41], // 张, 0xFF, 伟, A
        [0x41, 0x80, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41], // a continuation byte with nothing before it
        [0xC0, 0xAF, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41], // '/' in an overlong two-byte form
        [0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0xE4, 0xBC], // a three-byte sequence cut at the end
        [0xED, 0xA0, 0x80, 0x41, 0x41, 0x41, 0x41, 0x41], // U+D800 encoded as if it were a character
        [0xF4, 0x90, 0x80, 0x80, 0x41, 0x41, 0x41, 0x41], // past U+10FFFF
    ];

    public static TheoryData<string> Methods => new(HostileCases.All.Select(c => c.Method.FullName));

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task EveryStringField_InvalidUtf8_IsInvalidArgumentNamingItAndWritesNothing(string method)
    {
        var @case = HostileCases.All.Single(c => c.Method.FullName == method);
        await using var server = await TestServer.StartAsync();
        var context = await HostileContext.CreateAsync(server);
        var request = @case.Request(context);
        var token = @case.Token(context);

        var failures = new List<string>();
        var fields = StringFields(request, "", [], @case.Ignored).ToList();
        for (var i = 0; i < fields.Count; i++)
        {
            var (path, set) = fields[i];
            var hostile = RequestMutations.Copy(request);
            set(hostile);
            var bytes = WithInvalidUtf8(hostile.ToByteArray(), NotUtf8[i % NotUtf8.Length]);
            await server.Services.GetRequiredService<VerificationLog>().FlushAsync();
            var before = DatabaseFiles.Fingerprint(server);

            var (status, badRequest, _) = await RawGrpc.CallAsync(server.Address, $"/{@case.Method.Service.FullName}/{@case.Method.Name}", token, bytes);

            var named = badRequest?.FieldViolations.Select(v => v.Field).ToList() ?? [];
            if (status != 3 || !named.Contains(path))
            {
                failures.Add($"{path}: status {status}, fields [{string.Join(", ", named)}]");
            }
            if (!before.SequenceEqual(DatabaseFiles.Fingerprint(server)))
            {
                failures.Add($"{path}: the database changed");
            }
        }

        output.WriteLine($"{method}: {fields.Count} string fields with invalid UTF-8, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{method}:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public async Task VerifyStream_InvalidUtf8InAnItem_EndsTheCallWithInvalidArgumentNamingTheFieldInTheItem()
    {
        await using var server = await TestServer.StartAsync();
        var context = await HostileContext.CreateAsync(server);
        // An item that cannot be parsed has no correlation id to be answered under: the call ends.
        var item = new VerifyStreamRequest
        {
            CorrelationId = "row-1",
            Certificate = new VerifyCertificateRequest { Number = context.CertificateNumber, HolderName = "张伟~UTF8~8~" },
        };
        await server.Services.GetRequiredService<VerificationLog>().FlushAsync();
        var before = DatabaseFiles.Fingerprint(server);

        var (status, badRequest, messages) = await RawGrpc.CallAsync(server.Address, "/credentials.v1.VerificationService/VerifyStream", context.EmployerToken,
            WithInvalidUtf8(item.ToByteArray(), NotUtf8[0]));
        await server.Services.GetRequiredService<VerificationLog>().FlushAsync();

        Assert.Equal(3, status);
        Assert.Equal("certificate.holder_name", Assert.Single(badRequest!.FieldViolations).Field);
        Assert.Empty(messages);
        Assert.Equal(before, DatabaseFiles.Fingerprint(server));
    }

    /// <summary>Every string field of the request that the server reads (not output-only), with how to put the placeholder into it.</summary>
    private static IEnumerable<(string Path, Action<IMessage> Set)> StringFields(IMessage message, string prefix, List<Func<IMessage, object>> steps,
        IReadOnlySet<string> ignored)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            if (ignored.Contains(path))
            {
                continue;
            }
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = (IList)value;
                if (list.Count == 0)
                {
                    continue;
                }
                var element = new List<Func<IMessage, object>>(steps) { m => ((IList)field.Accessor.GetValue(m))[0]! };
                if (field.FieldType == FieldType.String)
                {
                    yield return ($"{path}[0]", root => ((IList)field.Accessor.GetValue(Navigate(root, steps)))[0] = list[0] + "~UTF8~8~");
                }
                else if (field.FieldType == FieldType.Message)
                {
                    foreach (var inner in StringFields((IMessage)list[0]!, $"{path}[0].", element, ignored))
                    {
                        yield return inner;
                    }
                }
            }
            else if (field.FieldType == FieldType.String)
            {
                yield return (path, root => field.Accessor.SetValue(Navigate(root, steps), value + "~UTF8~8~"));
            }
            else if (field.FieldType == FieldType.Message && value is IMessage child)
            {
                var next = new List<Func<IMessage, object>>(steps) { m => field.Accessor.GetValue(m) };
                foreach (var inner in StringFields(child, path + ".", next, ignored))
                {
                    yield return inner;
                }
            }
        }
    }

    private static IMessage Navigate(IMessage root, List<Func<IMessage, object>> steps) =>
        steps.Aggregate(root, (current, step) => (IMessage)step(current));

    /// <summary>The request bytes with the placeholder overwritten by <paramref name="invalid"/> (same length).</summary>
    private static byte[] WithInvalidUtf8(byte[] bytes, byte[] invalid)
    {
        var at = bytes.AsSpan().IndexOf(Placeholder);
        Assert.True(at >= 0 && bytes.AsSpan(at + 1).IndexOf(Placeholder) < 0, "the placeholder must occur exactly once");
        invalid.CopyTo(bytes, at);
        Assert.Contains('\uFFFD', Encoding.UTF8.GetString(bytes, at, invalid.Length));
        return bytes;
    }
}

/// <summary>
/// A gRPC call made by hand over HTTP/2 with HttpClient: any bytes as the request message, the status,
/// the BadRequest of <c>grpc-status-details-bin</c> and the response messages as they came.
/// </summary>
internal static class RawGrpc
{
    /// <summary>The gRPC length-prefixed frame of a message (uncompressed).</summary>
    public static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Calls the method at <paramref name="path"/> ("/credentials.v1.CommitteeService/GetCommittee") with the messages, each framed, as the whole request stream.</summary>
    public static async Task<(int Status, BadRequest? BadRequest, List<byte[]> Messages)> CallAsync(Uri address, string path, string? token,
        params byte[][] messages)
    {
        using var handler = new SocketsHttpHandler();
        using var client = new HttpClient(handler);
        var body = messages.SelectMany(Frame).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", "Bearer " + token);
        }
        using var response = await client.SendAsync(request);
        var payload = await response.Content.ReadAsByteArrayAsync();
        var all = response.Headers.Concat(response.TrailingHeaders).ToDictionary(h => h.Key, h => h.Value.First(), StringComparer.OrdinalIgnoreCase);
        var status = all.TryGetValue("grpc-status", out var code) ? int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : -1;
        BadRequest? badRequest = null;
        if (all.TryGetValue("grpc-status-details-bin", out var details))
        {
            var padded = details.PadRight(details.Length + (4 - details.Length % 4) % 4, '=');
            var rich = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(padded));
            badRequest = rich.Details.FirstOrDefault(d => d.Is(BadRequest.Descriptor))?.Unpack<BadRequest>();
        }
        var answers = new List<byte[]>();
        for (var at = 0; at + 5 <= payload.Length;)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(at + 1));
            answers.Add(payload[(at + 5)..(at + 5 + length)]);
            at += 5 + length;
        }
        return (status, badRequest, answers);
    }
}

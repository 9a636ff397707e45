using System.Security.Cryptography.X509Certificates;
using Credentials.Grpc;
using Credentials.Grpc.Client;
using Google.Protobuf;

namespace Credentials.Cli.Hosting;

/// <summary>Calls credentials.v1 methods on one server with the caller's token, each with a deadline.</summary>
internal sealed class ServiceClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly string? _token;
    private readonly TimeSpan _timeout;

    public ServiceClient(string server, string? token, FileInfo? ca, TimeSpan timeout)
    {
        var address = ParseAddress(server);
        var options = new GrpcChannelOptions();
        if (ca is not null)
        {
            if (address.Scheme != "https")
            {
                throw new UsageException("--ca needs an https:// server address.");
            }
            options.TrustedRoots = LoadRoots(ca);
        }
        if (token is not null && token.Length > 0 && address.Scheme == "http" && !address.IsLoopback)
        {
            throw new UsageException("A token is only sent over https:// (or to a loopback address).");
        }
        _channel = GrpcChannel.ForAddress(address, options);
        _token = string.IsNullOrEmpty(token) ? null : token;
        _timeout = timeout;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Calls "Service/Method" of credentials.v1; a status other than OK throws <see cref="RpcException"/>.</summary>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var headers = new Metadata();
        if (_token is not null)
        {
            headers.Add("authorization", "Bearer " + _token);
        }
        using var call = _channel.UnaryCall<TRequest, TResponse>("/credentials.v1." + method, request,
            CallOptions.WithTimeout(_timeout, headers, cancellationToken));
        return await call.ResponseAsync;
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>"http://host:port", "https://host:port", or "host:port" (cleartext).</summary>
    internal static Uri ParseAddress(string server)
    {
        var text = server.Contains("://", StringComparison.Ordinal) ? server : "http://" + server;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https")
            || address.AbsolutePath != "/" || address.Query.Length > 0)
        {
            throw new UsageException($"--server: '{server}' is not http://host:port or https://host:port.");
        }
        return address;
    }

    private static X509Certificate2Collection LoadRoots(FileInfo ca)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(ca.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new UsageException($"--ca: cannot read certificates from {ca.FullName}: {e.Message}");
        }
        if (roots.Count == 0)
        {
            throw new UsageException($"--ca: {ca.FullName} holds no PEM certificate.");
        }
        return roots;
    }
}

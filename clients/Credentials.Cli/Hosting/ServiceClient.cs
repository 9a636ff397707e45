using Credentials.Clients;
using Credentials.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Credentials.Cli.Hosting;

/// <summary>The generated clients of credentials.v1 on one channel to one server, sending the caller's token with every call.</summary>
internal sealed class ServiceClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly TimeSpan _timeout;

    /// <param name="certificate">The client certificate (mutual TLS), with <paramref name="key"/> or with the key in the same file.</param>
    public ServiceClient(string server, string? token, FileInfo? ca, FileInfo? certificate, FileInfo? key, TimeSpan timeout)
    {
        var address = ParseAddress(server);
        if (!string.IsNullOrEmpty(token) && address.Scheme == "http" && !address.IsLoopback)
        {
            throw new UsageException("A token is only sent over https:// (or to a loopback address).");
        }
        SocketsHttpHandler handler;
        try
        {
            handler = ClientTls.Handler(address, ca, certificate, key);
        }
        catch (ClientTls.OptionException e)
        {
            throw new UsageException(e.Message);
        }
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _timeout = timeout;
        var invoker = string.IsNullOrEmpty(token)
            ? _channel.CreateCallInvoker()
            : _channel.Intercept(headers =>
            {
                headers.Add("authorization", "Bearer " + token);
                return headers;
            });
        Certificates = new CertificateService.CertificateServiceClient(invoker);
        Verification = new VerificationService.VerificationServiceClient(invoker);
        Integrity = new IntegrityService.IntegrityServiceClient(invoker);
        Holders = new HolderService.HolderServiceClient(invoker);
        Committees = new CommitteeService.CommitteeServiceClient(invoker);
    }

    public CertificateService.CertificateServiceClient Certificates { get; }

    public VerificationService.VerificationServiceClient Verification { get; }

    public IntegrityService.IntegrityServiceClient Integrity { get; }

    /// <summary>The holder's own service: the token is then a holder's JWT.</summary>
    public HolderService.HolderServiceClient Holders { get; }

    public CommitteeService.CommitteeServiceClient Committees { get; }

    /// <summary>Options of one call: the --timeout deadline from now, and the command's cancellation.</summary>
    public CallOptions Call(CancellationToken cancellationToken) => new(deadline: DateTime.UtcNow + _timeout, cancellationToken: cancellationToken);

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
}

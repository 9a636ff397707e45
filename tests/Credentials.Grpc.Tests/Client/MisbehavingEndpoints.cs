using System.Globalization;
using Credentials.Grpc.Protocol;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Credentials.Grpc.Tests.Client;

/// <summary>
/// Endpoints in front of the gRPC server that answer as proxies and broken servers do, for the
/// client to cope with: <c>/http/{code}</c>, <c>/http/{code}/grpc-status/{status}</c> and <c>/broken/{case}</c>.
/// </summary>
public static class MisbehavingEndpoints
{
    public const string OkWithoutMessage = "/broken/ok-without-message";
    public const string TwoMessages = "/broken/two-messages";
    public const string NoStatus = "/broken/no-status";
    public const string Html = "/broken/html";

    public static void Map(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var response = context.Response;
        switch (segments)
        {
            case ["http", var code]:
                response.StatusCode = int.Parse(code, CultureInfo.InvariantCulture);
                response.ContentType = "text/plain";
                await response.WriteAsync("not gRPC");
                break;
            case ["http", var code, "grpc-status", var status]:
                response.StatusCode = int.Parse(code, CultureInfo.InvariantCulture);
                response.ContentType = GrpcProtocol.ContentType;
                response.Headers[GrpcProtocol.StatusHeader] = status;
                response.Headers[GrpcProtocol.MessageHeader] = "from the proxy";
                break;
            case ["broken", "ok-without-message"]:
                response.ContentType = GrpcProtocol.ContentType;
                response.Headers[GrpcProtocol.StatusHeader] = "0";
                break;
            case ["broken", "two-messages"]:
                response.ContentType = GrpcProtocol.ContentType;
                byte[] frame = GrpcFrame.Of(new StringValue { Value = "one of two" });
                await response.Body.WriteAsync(frame.Concat(frame).ToArray());
                response.AppendTrailer(GrpcProtocol.StatusHeader, "0");
                break;
            case ["broken", "no-status"]:
                response.ContentType = GrpcProtocol.ContentType;
                await response.Body.FlushAsync();
                break;
            case ["broken", "html"]:
                response.ContentType = "text/html";
                await response.WriteAsync("<html>proxy page</html>");
                break;
            default:
                await next(context);
                break;
        }
    });

    /// <summary>The shared server, with these endpoints in front of it.</summary>
    public sealed class Fixture : GrpcServerFixture
    {
        protected override GrpcTestServerOptions Options => new() { ConfigureApp = Map };
    }
}

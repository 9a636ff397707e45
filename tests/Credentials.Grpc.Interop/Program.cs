using System.Net;
using Credentials.Grpc.Interop;
using Credentials.Grpc.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The interop server: `credentials-interop-server --port=N` (0 picks a free port), on 127.0.0.1.
// Prints "listening on PORT" once it accepts calls, so scripts can wait for it.
var port = 0;
foreach (var arg in args)
{
    if (arg.StartsWith("--port=", StringComparison.Ordinal))
    {
        port = int.Parse(arg["--port=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(options =>
{
    KestrelDefaults.ConfigureForGrpc(options);
    options.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
});
InteropHost.AddServices(builder.Services);
var app = builder.Build();
app.UseGrpcServer();
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"listening on {new Uri(address).Port}");
await app.WaitForShutdownAsync();

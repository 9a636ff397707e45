using Credentials.Bench.BareServer;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// bare-grpc-server --urls http://127.0.0.1:0: serves /bare.v1.Bare/Ping over cleartext HTTP/2 until SIGTERM,
// then prints "bare: answered N calls" (h2load sees only HTTP statuses; this count is what bench/transport.sh checks).
// Its appsettings.json (the template's logging levels) beside the binary, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();

var app = builder.Build();
app.MapGrpcService<BareService>();
app.Lifetime.ApplicationStopped.Register(() => Console.WriteLine($"bare: answered {BareService.Answered} calls"));
app.Run();

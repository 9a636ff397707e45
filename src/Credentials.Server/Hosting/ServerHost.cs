using System.Net;
using System.Security.Cryptography.X509Certificates;
using Credentials.Server.Security;
using Credentials.Server.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace Credentials.Server.Hosting;

/// <summary>Builds the web host: configuration, Kestrel (HTTP/2, optional TLS), Grpc.AspNetCore and its services.</summary>
public static class ServerHost
{
    public const string DefaultUrl = "http://127.0.0.1:50051";

    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = "DataDir",
    };

    /// <summary>appsettings.json, then CREDENTIALS_* environment variables, then the command line.</summary>
    public static void AddSources(IConfigurationBuilder configuration, string[] args)
    {
        configuration.AddEnvironmentVariables("CREDENTIALS_");
        configuration.AddCommandLine(args, SwitchMappings);
    }

    /// <summary>The settings without building a host, for the admin commands.</summary>
    public static (ServerOptions Options, IConfiguration Configuration) LoadSettings(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        AddSources(configuration, args);
        var built = configuration.Build();
        return (built.Get<ServerOptions>() ?? new ServerOptions(), built);
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Below every other source: defaults of the instrumentation packages.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = TelemetryRegistration.InstrumentationSettings });
        AddSources(builder.Configuration, args);
        // The slim builder leaves HTTPS out unless asked.
        builder.WebHost.UseKestrelHttpsConfiguration();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // The slim builder fixes the console format to "simple"; Logging:Console:FormatterName (simple,
        // json, systemd) and its FormatterOptions choose it again, as in a full ASP.NET Core host.
        builder.Logging.AddConsole();
        builder.Services.Configure<ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));

        var options = builder.Configuration.Get<ServerOptions>() ?? new ServerOptions();
        // Checked before anything is claimed or opened: bad settings stop the start with their name.
        var telemetry = TelemetryOptions.Load(builder.Configuration);
        builder.Services.AddSingleton(options);
        // Held until the host is disposed: no restore under a running server, no second server on the directory.
        var claim = Store.DataDirectoryLock.Acquire(options.DataDir, "start a server on it");
        builder.Services.AddSingleton(_ => claim);
        builder.Services.AddCredentialsServices(options, builder.Configuration);
        builder.Services.AddCredentialsGrpc(options);
        builder.Services.AddCredentialsTelemetry(telemetry);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            GrpcHosting.ConfigureKestrel(kestrel);
            kestrel.ConfigureEndpointDefaults(endpoint =>
            {
                endpoint.Protocols = HttpProtocols.Http2;
                RefuseInsecureRemote(endpoint, options);
            });
            if (options.Tls.Enabled)
            {
                var certificate = LoadCertificate(options.Tls);
                var clientValidator = string.IsNullOrEmpty(options.Tls.ClientCaPath) ? null : ClientCertificates.Validator(options.Tls.ClientCaPath);
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    https.ServerCertificate = certificate;
                    if (clientValidator is not null)
                    {
                        // Asked for in the handshake: HTTP/2 cannot renegotiate for it later.
                        https.ClientCertificateMode = options.Tls.RequireClientCertificate
                            ? ClientCertificateMode.RequireCertificate
                            : ClientCertificateMode.AllowCertificate;
                        https.ClientCertificateValidation = clientValidator;
                    }
                });
            }
        });

        configure?.Invoke(builder);

        var app = builder.Build();
        // Resolved so that the container owns it and releases it when the host is disposed.
        app.Services.GetRequiredService<Store.DataDirectoryLock>();
        app.UseCredentialsGrpc();
        return app;
    }

    private static void RefuseInsecureRemote(ListenOptions endpoint, ServerOptions options)
    {
        if (options.AllowInsecureRemote || options.Tls.Enabled)
        {
            return;
        }
        if (endpoint.IPEndPoint is { } ip && !IPAddress.IsLoopback(ip.Address))
        {
            throw new InvalidOperationException(
                $"Refusing to serve cleartext on {ip}: configure Tls:CertificatePath and Tls:KeyPath, " +
                "listen on 127.0.0.1, or set AllowInsecureRemote=true.");
        }
    }

    private static X509Certificate2 LoadCertificate(TlsOptions tls)
    {
        var certificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath);
        // Kestrel on Linux needs the key in an exportable in-memory form, not an ephemeral one.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}

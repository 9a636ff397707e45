using System.CommandLine;
using Credentials.Cli.Hosting;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Cli.Certificates;

/// <summary><c>credctl get NUMBER</c>: CertificateService.GetCertificate; optionally saves its envelope or QR text for verifiers.</summary>
internal static class GetCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var number = new Argument<string>("number") { Description = "The certificate number" };
        var envelope = new Option<string?>("--save-envelope") { Description = "Write the signed envelope (protobuf bytes) to this file" };
        var qrText = new Option<string?>("--save-qr-text") { Description = "Write the QR text (TC1:...) to this file" };
        var command = new Command("get", "Show one certificate. Authority, platform, or its committee.") { number, envelope, qrText };
        handlers.Set(command, async context =>
        {
            var request = new GetCertificateRequest { Number = context.Get(number)! };
            var response = await context.Client.Certificates.GetCertificateAsync(request, context.CallOptions);
            var certificate = response.Certificate;
            if (context.Get(envelope) is { } envelopePath)
            {
                Save(envelopePath, () => File.WriteAllBytes(envelopePath, certificate.Envelope.ToByteArray()));
            }
            if (context.Get(qrText) is { } qrPath)
            {
                Save(qrPath, () => File.WriteAllText(qrPath, certificate.QrText + "\n"));
            }
            if (context.Output.Json)
            {
                context.Output.WriteJson(certificate);
            }
            CertificateText.Write(context.Output, certificate);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Save(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write {path}: {e.Message}");
        }
    }
}

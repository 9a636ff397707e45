using System.CommandLine;
using Credentials.Cli.Hosting;
using Credentials.V1;

namespace Credentials.Cli.Certificates;

/// <summary><c>credctl reissue NUMBER --reason R</c>: CertificateService.ReissueCertificate (the current document version, the active key).</summary>
internal static class ReissueCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var number = new Argument<string>("number") { Description = "The certificate number" };
        var reason = new Option<string>("--reason") { Description = "Why, e.g. \"持证人申请：旧版二维码\"", Required = true };
        var saveQr = new Option<FileInfo?>("--save-qr-text") { Description = "Write the new QR text to FILE" };
        var command = new Command("reissue",
            "Sign a certificate's document again (same number and content, current version and key); the old QR code stops verifying online. " +
            "The issuing committee or the authority.")
        {
            number, reason, saveQr,
        };
        handlers.Set(command, async context =>
        {
            var response = await context.Client.Certificates.ReissueCertificateAsync(
                new ReissueCertificateRequest { Number = context.Get(number)!, Reason = context.Get(reason)! }, context.CallOptions);
            if (context.Get(saveQr) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, response.Certificate.QrText + "\n", context.Cancellation);
            }
            if (context.Output.Json)
            {
                context.Output.WriteJson(response.Certificate);
                return ExitCodes.Ok;
            }
            context.Output.Line($"Reissued (document version {response.Certificate.DocumentVersion}):");
            CertificateText.Write(context.Output, response.Certificate);
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using Credentials.Cli.Hosting;
using Credentials.V1;

namespace Credentials.Cli.Verification;

/// <summary><c>credctl verify NUMBER --name NAME</c>: VerificationService.VerifyCertificate.</summary>
internal static class VerifyCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var number = new Argument<string>("number") { Description = "The certificate number, e.g. DL-S01-2024-000001X" };
        var name = new Option<string>("--name") { Description = "The holder's name as on the certificate", Required = true };
        var documentType = new Option<string?>("--document-type")
        {
            Description = "With --document-number: the kind of document (" + string.Join(", ", EnumNames.Choices<DocumentType>()) + ")",
        };
        var documentNumber = new Option<string?>("--document-number") { Description = "Optional: the holder's document number, checked too (never stored)" };
        var command = new Command("verify", "Verify a certificate by its number and the holder's name (online). Exit 0 valid, 2 revoked or not found.")
        {
            number, name, documentType, documentNumber,
        };
        handlers.Set(command, async context =>
        {
            var request = new VerifyCertificateRequest { Number = context.Get(number) ?? "", HolderName = context.Get(name) ?? "" };
            if (context.Get(documentNumber) is { } document)
            {
                request.DocumentNumber = document;
                request.DocumentType = EnumNames.Parse<DocumentType>(context.Get(documentType) ?? "resident-id-card", "--document-type");
            }
            else if (context.Get(documentType) is not null)
            {
                throw new UsageException("--document-type needs --document-number.");
            }
            var response = await context.Client.Verification.VerifyCertificateAsync(request, context.CallOptions);
            return Report(context.Output, request.Number, response);
        });
        return command;
    }

    internal static int Report(Output output, string number, VerifyCertificateResponse response)
    {
        if (output.Json)
        {
            output.WriteJson(response);
        }
        else
        {
            output.Line(response.Result switch
            {
                VerificationResult.Valid => $"VALID: {response.Certificate.Number} is a valid certificate.",
                VerificationResult.Revoked => $"REVOKED: {response.Certificate.Number} was revoked.",
                VerificationResult.NotFound => $"NOT_FOUND: no certificate {number.Trim().ToUpperInvariant()} held by this name (and document).",
                _ => $"UNKNOWN RESULT {response.Result}",
            });
            if (response.Certificate is { } certificate)
            {
                VerifiedCertificateText.Write(output, certificate);
            }
        }
        return response.Result == VerificationResult.Valid ? ExitCodes.Ok : ExitCodes.NotValid;
    }
}

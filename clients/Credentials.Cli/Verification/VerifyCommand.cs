using System.CommandLine;
using Credentials.Cli.Hosting;
using Credentials.V1;

namespace Credentials.Cli.Verification;

/// <summary>
/// <c>credctl verify NUMBER --name NAME</c>: VerificationService.VerifyCertificate; <c>credctl verify --code CODE</c>:
/// VerifyShareCode, with a share code the holder made.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var number = new Argument<string?>("number") { Description = "The certificate number, e.g. DL-S01-2024-000001X", Arity = ArgumentArity.ZeroOrOne };
        var name = new Option<string?>("--name") { Description = "The holder's name as on the certificate (with NUMBER)" };
        var documentType = new Option<string?>("--document-type")
        {
            Description = "With --document-number: the kind of document (" + string.Join(", ", EnumNames.Choices<DocumentType>()) + ")",
        };
        var documentNumber = new Option<string?>("--document-number") { Description = "Optional: the holder's document number, checked too (never stored)" };
        var code = new Option<string?>("--code") { Description = "Instead of NUMBER and --name: a share code the holder gave you (在线验证码)" };
        var command = new Command("verify",
            "Verify a certificate by its number and the holder's name, or by a share code (online). Exit 0 valid, 2 revoked or not found.")
        {
            number, name, documentType, documentNumber, code,
        };
        handlers.Set(command, async context =>
        {
            if (context.Get(code) is { } shareCode)
            {
                if (context.Get(number) is not null || context.Get(name) is not null || context.Get(documentNumber) is not null)
                {
                    throw new UsageException("--code takes no NUMBER, --name or --document-number: the code alone names the certificate.");
                }
                var shared = await context.Client.Verification.VerifyShareCodeAsync(new VerifyShareCodeRequest { Code = shareCode }, context.CallOptions);
                return ReportShared(context.Output, shared);
            }
            if (context.Get(number) is not { } certificateNumber || context.Get(name) is not { } holderName)
            {
                throw new UsageException("Give NUMBER and --name, or --code.");
            }
            var request = new VerifyCertificateRequest { Number = certificateNumber, HolderName = holderName };
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

    internal static int ReportShared(Output output, VerifyShareCodeResponse response)
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
                VerificationResult.NotFound => "NOT_FOUND: no valid share code is this one (unknown, expired or revoked by its holder).",
                _ => $"UNKNOWN RESULT {response.Result}",
            });
            if (response.Certificate is { } certificate)
            {
                VerifiedCertificateText.Write(output, certificate,
                    ("shared for", response.Purpose),
                    ("code valid until", response.CodeExpireTime?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
                    ("integrity", response.Integrity is { } integrity
                        ? $"{(integrity.HasActiveRecord ? "an active misconduct record exists" : "no active misconduct record")} (as of {VerifiedCertificateText.Date(integrity.AsOf)})"
                        : "not shared by the holder"));
            }
        }
        return response.Result == VerificationResult.Valid ? ExitCodes.Ok : ExitCodes.NotValid;
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

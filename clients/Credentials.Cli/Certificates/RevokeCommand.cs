using System.CommandLine;
using Credentials.Cli.Hosting;
using Credentials.Core.Time;
using Credentials.V1;

namespace Credentials.Cli.Certificates;

/// <summary><c>credctl revoke NUMBER --reason R --decision-document D</c>: CertificateService.RevokeCertificate (撤销职称; final).</summary>
internal static class RevokeCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var number = new Argument<string>("number") { Description = "The certificate number" };
        var reason = new Option<string>("--reason") { Description = "Why: " + string.Join(", ", EnumNames.Choices<RevocationReason>()), Required = true };
        var decision = new Option<string>("--decision-document") { Description = "The decision document number (文号)", Required = true };
        var details = new Option<string?>("--details") { Description = "Free text (required for reason other)" };
        var effective = new Option<string?>("--effective-date") { Description = "When it takes effect, yyyy-MM-dd (default: today)" };
        var command = new Command("revoke", "Revoke a certificate (final). The issuing committee or the authority.")
        {
            number, reason, decision, details, effective,
        };
        handlers.Set(command, async context =>
        {
            var revocation = new Revocation
            {
                Reason = EnumNames.Parse<RevocationReason>(context.Get(reason), "--reason"),
                DecisionDocument = context.Get(decision)!,
                Details = context.Get(details) ?? "",
            };
            if (context.Get(effective) is { } date)
            {
                revocation.EffectiveDate = Dates.ToProto(CommandDates.Parse(date, "--effective-date"));
            }
            var request = new RevokeCertificateRequest { Number = context.Get(number)!, Revocation = revocation };
            var response = await context.Client.Certificates.RevokeCertificateAsync(request, context.CallOptions);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response.Certificate);
            }
            context.Output.Line("Revoked:");
            CertificateText.Write(context.Output, response.Certificate, withQrText: false);
            return ExitCodes.Ok;
        });
        return command;
    }
}

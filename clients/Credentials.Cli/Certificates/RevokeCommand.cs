using System.CommandLine;
using Credentials.Cli.Hosting;
using Credentials.Core.Time;
using Credentials.V1;

namespace Credentials.Cli.Certificates;

/// <summary>
/// <c>credctl revoke NUMBER --reason R --decision-document D</c>: CertificateService.RevokeCertificate (撤销职称;
/// final). A reason of fraud records the holder's misconduct too, with --unit, --facts and --deciding-body.
/// </summary>
internal static class RevokeCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var number = new Argument<string>("number") { Description = "The certificate number" };
        var reason = new Option<string>("--reason")
        {
            Description = "Why: " + string.Join(", ", EnumNames.Choices<RevocationReason>())
                + " (false-materials, plagiarism and improper-means are fraud: they record the holder's misconduct)",
            Required = true,
        };
        var decision = new Option<string>("--decision-document") { Description = "The decision document number (文号)", Required = true };
        var details = new Option<string?>("--details") { Description = "Free text (required for reason other)" };
        var effective = new Option<string?>("--effective-date") { Description = "When it takes effect, yyyy-MM-dd (default: today)" };
        var unit = new Option<string?>("--unit") { Description = "Fraud: the holder's employer (工作单位) at the time, for the misconduct record" };
        var facts = new Option<string?>("--facts") { Description = "Fraud: the facts found (失信违规事实)" };
        var body = new Option<string?>("--deciding-body") { Description = "Fraud: who decided, e.g. 大连市人力资源和社会保障局" };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key (default: derived from the content)" };
        var command = new Command("revoke", "Revoke a certificate (final). The issuing committee or the authority. A revocation for fraud also records the misconduct (诚信档案).")
        {
            number, reason, decision, details, effective, unit, facts, body, requestId,
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
            if (context.Get(unit) is not null || context.Get(facts) is not null || context.Get(body) is not null)
            {
                request.Misconduct = new FraudFinding { Unit = context.Get(unit) ?? "", Facts = context.Get(facts) ?? "", DecidingBody = context.Get(body) ?? "" };
            }
            request.RequestId = context.Get(requestId) ?? IssueCommand.DerivedRequestId(request, context.Token);
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

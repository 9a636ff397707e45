using System.CommandLine;
using Credentials.Cli.Certificates;
using Credentials.Cli.Hosting;
using Credentials.Core.Time;
using Credentials.V1;

namespace Credentials.Cli.Integrity;

/// <summary><c>credctl misconduct record ...</c>: IntegrityService.RecordMisconduct (诚信档案), which may revoke the certificates it names.</summary>
internal static class MisconductCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var role = new Option<string>("--subject-role") { Description = "Who: " + string.Join(", ", EnumNames.Choices<SubjectRole>()), DefaultValueFactory = _ => "applicant" };
        var name = new Option<string>("--name") { Description = "The subject's name", Required = true };
        var documentType = new Option<string>("--document-type") { Description = "Identity document kind", DefaultValueFactory = _ => "resident-id-card" };
        var documentNumber = new Option<string>("--document-number") { Description = "The subject's document number (never stored in clear)", Required = true };
        var unit = new Option<string>("--unit") { Description = "The subject's employer (工作单位)", Required = true };
        var type = new Option<string>("--type") { Description = "What: " + string.Join(", ", EnumNames.Choices<MisconductType>()), Required = true };
        var otherType = new Option<string?>("--other-type") { Description = "With --type other: what it was" };
        var facts = new Option<string>("--facts") { Description = "The facts found", Required = true };
        var decision = new Option<string>("--decision-document") { Description = "The decision document number (文号)", Required = true };
        var body = new Option<string>("--deciding-body") { Description = "Who decided, e.g. 大连市人力资源和社会保障局", Required = true };
        var date = new Option<string>("--decision-date") { Description = "yyyy-MM-dd", Required = true };
        var committee = new Option<string?>("--committee") { Description = "The review committee concerned" };
        var certificates = new Option<string[]>("--certificate") { Description = "A certificate number to revoke with the record (repeatable)", AllowMultipleArgumentsPerToken = false };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key (default: derived from the content)" };

        var record = new Command("record", "Record misconduct (authority, or a committee for its own reviews)")
        {
            role, name, documentType, documentNumber, unit, type, otherType, facts, decision, body, date, committee, certificates, requestId,
        };
        handlers.Set(record, async context =>
        {
            var misconduct = new MisconductRecord
            {
                Subject = new Subject
                {
                    Role = EnumNames.Parse<SubjectRole>(context.Get(role), "--subject-role"),
                    Name = context.Get(name)!,
                    DocumentType = EnumNames.Parse<DocumentType>(context.Get(documentType), "--document-type"),
                    DocumentNumber = context.Get(documentNumber)!,
                    Unit = context.Get(unit)!,
                },
                Type = EnumNames.Parse<MisconductType>(context.Get(type), "--type"),
                OtherType = context.Get(otherType) ?? "",
                Facts = context.Get(facts)!,
                DecisionDocument = context.Get(decision)!,
                DecidingBody = context.Get(body)!,
                DecisionDate = Dates.ToProto(CommandDates.Parse(context.Get(date)!, "--decision-date")),
                CommitteeCode = context.Get(committee) ?? "",
            };
            misconduct.CertificateNumbers.AddRange(context.Get(certificates) ?? []);
            var request = new RecordMisconductRequest { Record = misconduct };
            request.RequestId = context.Get(requestId) ?? IssueCommand.DerivedRequestId(request, context.Token);
            var response = await context.Client.Integrity.RecordMisconductAsync(request, context.CallOptions);
            var saved = response.Record;
            if (context.Output.Json)
            {
                context.Output.WriteJson(saved);
            }
            context.Output.Line($"Recorded {saved.Id}  {EnumNames.Short(saved.State)}");
            context.Output.Fields(
                ("subject", $"{saved.Subject.Name} ({EnumNames.Short(saved.Subject.Role)}, {saved.Subject.DocumentMasked})"),
                ("type", EnumNames.Short(saved.Type)),
                ("decision", $"{saved.DecisionDocument}, {saved.DecidingBody}, {Verification.VerifiedCertificateText.Date(saved.DecisionDate)}"),
                ("active until", Verification.VerifiedCertificateText.Date(saved.ActiveUntil)),
                ("certificates", string.Join(", ", saved.CertificateNumbers)));
            return ExitCodes.Ok;
        });
        return new Command("misconduct", "The integrity record (诚信档案)") { record };
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Credentials.Cli.Certificates;
using Credentials.Cli.Hosting;
using Credentials.Cli.Verification;
using Credentials.Core.Time;
using Credentials.V1;

namespace Credentials.Cli.Committees;

/// <summary>
/// <c>credctl committee get|list|update-scope|renew</c>: CommitteeService, the committees' accreditation
/// (核准备案), its windows and scopes. Changes are the authority's.
/// </summary>
internal static class CommitteeCommand
{
    public static Command Create(Credctl.Handlers handlers) =>
        new("committee", "Review committees (评审委员会): their scope, accreditation windows and history")
        {
            Get(handlers), List(handlers), UpdateScope(handlers), Renew(handlers),
        };

    private static Command Get(Credctl.Handlers handlers)
    {
        var code = new Argument<string>("code") { Description = "The committee code, e.g. DL-S01" };
        var command = new Command("get", "Show a committee: its scope and window in force, whether its accreditation is valid today, its history") { code };
        handlers.Set(command, async context =>
        {
            var response = await context.Client.Committees.GetCommitteeAsync(new GetCommitteeRequest { Code = context.Get(code)! }, context.CallOptions);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response.Committee);
            }
            CommitteeText.Write(context.Output, response.Committee);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Credctl.Handlers handlers)
    {
        var state = new Option<string?>("--state") { Description = "Only " + string.Join(", ", EnumNames.Choices<CommitteeState>()) };
        var accreditation = new Option<string?>("--accreditation")
        {
            Description = "Only committees whose accreditation is, today, " + string.Join(", ", EnumNames.Choices<AccreditationStatus>()),
        };
        var series = new Option<string?>("--series") { Description = "Only this series, e.g. 工程系列" };
        var command = new Command("list", "List committees by code (every page)") { state, accreditation, series };
        handlers.Set(command, async context =>
        {
            var request = new ListCommitteesRequest
            {
                PageSize = 1000,
                Series = context.Get(series) ?? "",
                State = context.Get(state) is { } s ? EnumNames.Parse<CommitteeState>(s, "--state") : CommitteeState.Unspecified,
                AccreditationStatus = context.Get(accreditation) is { } a
                    ? EnumNames.Parse<AccreditationStatus>(a, "--accreditation")
                    : AccreditationStatus.Unspecified,
            };
            var committees = new JsonArray();
            ListCommitteesResponse response;
            do
            {
                response = await context.Client.Committees.ListCommitteesAsync(request, context.CallOptions);
                foreach (var committee in response.Committees)
                {
                    committees.Add(Output.ToNode(committee));
                    context.Output.Line($"{committee.Code}\t{EnumNames.Short(committee.State)}\t{EnumNames.Short(committee.AccreditationStatus)}\t"
                        + $"{VerifiedCertificateText.Date(committee.AccreditedFrom)}..{VerifiedCertificateText.Date(committee.AccreditedUntil)}\t{committee.Name}");
                }
                request.PageToken = response.NextPageToken;
            }
            while (response.NextPageToken.Length > 0);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new JsonObject { ["committees"] = committees });
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command UpdateScope(Credctl.Handlers handlers)
    {
        var code = new Argument<string>("code") { Description = "The committee code" };
        var series = new Option<string>("--series") { Description = "The series (职称系列) of the new scope", Required = true };
        var specialties = new Option<string[]>("--specialty")
        {
            Description = "A specialty (专业) of the new scope (repeatable; the whole list, not a change to it)", Required = true,
        };
        var levels = new Option<string[]>("--level")
        {
            Description = "A level of the new scope (repeatable): " + string.Join(", ", EnumNames.Choices<TitleLevel>()), Required = true,
        };
        var decision = new Option<string>("--decision-document") { Description = "The decision document number (文号)", Required = true };
        var effective = new Option<string?>("--effective-date") { Description = "First day in force, yyyy-MM-dd, not in the future (default: today)" };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key (default: derived from the content)" };
        var command = new Command("update-scope",
            "Change a committee's accredited scope (评审范围) from a date on; the earlier scope still judges reviews that met before it. Authority only.")
        {
            code, series, specialties, levels, decision, effective, requestId,
        };
        handlers.Set(command, async context =>
        {
            var scope = new CommitteeScope { Series = context.Get(series)!, DecisionDocument = context.Get(decision)! };
            scope.Specialties.AddRange(context.Get(specialties) ?? []);
            scope.Levels.AddRange((context.Get(levels) ?? []).Select(l => EnumNames.Parse<TitleLevel>(l, "--level")));
            if (context.Get(effective) is { } date)
            {
                scope.EffectiveDate = Dates.ToProto(CommandDates.Parse(date, "--effective-date"));
            }
            var request = new UpdateCommitteeScopeRequest { Code = context.Get(code)!, Scope = scope };
            request.RequestId = context.Get(requestId) ?? IssueCommand.DerivedRequestId(request, context.Token);
            var response = await context.Client.Committees.UpdateCommitteeScopeAsync(request, context.CallOptions);
            return Written(context, "Scope updated:", response.Committee);
        });
        return command;
    }

    private static Command Renew(Credctl.Handlers handlers)
    {
        var code = new Argument<string>("code") { Description = "The committee code" };
        var until = new Option<string>("--until") { Description = "Last day of the new window, yyyy-MM-dd (at most 3 years: the policy profile's limit)", Required = true };
        var from = new Option<string?>("--from")
        {
            Description = "First day of the new window, yyyy-MM-dd (default: the day after the latest window, or today if that has passed)",
        };
        var decision = new Option<string>("--decision-document") { Description = "The decision document number (文号)", Required = true };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key (default: derived from the content)" };
        var command = new Command("renew", "Renew a committee's accreditation (核准备案) for a new window; earlier windows stay. Authority only.")
        {
            code, until, from, decision, requestId,
        };
        handlers.Set(command, async context =>
        {
            var accreditation = new Accreditation
            {
                ValidUntil = Dates.ToProto(CommandDates.Parse(context.Get(until)!, "--until")),
                DecisionDocument = context.Get(decision)!,
            };
            if (context.Get(from) is { } first)
            {
                accreditation.ValidFrom = Dates.ToProto(CommandDates.Parse(first, "--from"));
            }
            var request = new RenewCommitteeAccreditationRequest { Code = context.Get(code)!, Accreditation = accreditation };
            request.RequestId = context.Get(requestId) ?? IssueCommand.DerivedRequestId(request, context.Token);
            var response = await context.Client.Committees.RenewCommitteeAccreditationAsync(request, context.CallOptions);
            return Written(context, "Accreditation renewed:", response.Committee);
        });
        return command;
    }

    private static int Written(CommandContext context, string heading, Committee committee)
    {
        if (context.Output.Json)
        {
            context.Output.WriteJson(committee);
        }
        context.Output.Line(heading);
        CommitteeText.Write(context.Output, committee);
        return ExitCodes.Ok;
    }
}

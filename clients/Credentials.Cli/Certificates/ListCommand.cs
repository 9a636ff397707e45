using System.CommandLine;
using System.Text.Json.Nodes;
using Credentials.Cli.Hosting;
using Credentials.V1;

namespace Credentials.Cli.Certificates;

/// <summary><c>credctl list</c>: CertificateService.ListCertificates, one page or (--all) every page.</summary>
internal static class ListCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var committee = new Option<string?>("--committee") { Description = "Only this committee's" };
        var year = new Option<int>("--year") { Description = "Only this review year" };
        var state = new Option<string?>("--state") { Description = "Only " + string.Join(" or ", EnumNames.Choices<CertificateState>()) };
        var level = new Option<string?>("--level") { Description = "Only this level: " + string.Join(", ", EnumNames.Choices<TitleLevel>()) };
        var pageSize = new Option<int>("--page-size") { Description = "Certificates per page, 1 to 1000 (default 100)" };
        var pageToken = new Option<string?>("--page-token") { Description = "Continue from a previous page" };
        var all = new Option<bool>("--all") { Description = "Follow every page to the end" };
        var command = new Command("list", "List certificates by number. Authority, platform, or a committee its own.")
        {
            committee, year, state, level, pageSize, pageToken, all,
        };
        handlers.Set(command, async context =>
        {
            var request = new ListCertificatesRequest
            {
                CommitteeCode = context.Get(committee) ?? "",
                ReviewYear = context.Get(year),
                PageSize = context.Get(pageSize),
                PageToken = context.Get(pageToken) ?? "",
                State = context.Get(state) is { } s ? EnumNames.Parse<CertificateState>(s, "--state") : CertificateState.Unspecified,
                Level = context.Get(level) is { } l ? EnumNames.Parse<TitleLevel>(l, "--level") : TitleLevel.Unspecified,
            };
            var certificates = new JsonArray();
            var count = 0;
            ListCertificatesResponse response;
            do
            {
                response = await context.Client.Certificates.ListCertificatesAsync(request, context.CallOptions);
                foreach (var certificate in response.Certificates)
                {
                    count++;
                    certificates.Add(Output.ToNode(certificate));
                    var spec = certificate.Spec;
                    context.Output.Line($"{certificate.Number}\t{EnumNames.Short(certificate.State)}\t{spec.Holder.Name}\t{spec.TitleName}\t{spec.Specialty}");
                }
                request.PageToken = response.NextPageToken;
            }
            while (context.Get(all) && response.NextPageToken.Length > 0);

            if (context.Output.Json)
            {
                context.Output.WriteJson(new JsonObject { ["certificates"] = certificates, ["nextPageToken"] = response.NextPageToken });
            }
            else if (response.NextPageToken.Length > 0)
            {
                context.Console.Error.WriteLine($"{count} shown; more with --page-token {response.NextPageToken} (or --all)");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}

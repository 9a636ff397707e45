using System.CommandLine;
using Credentials.Cli.Hosting;
using Credentials.V1;

namespace Credentials.Cli.Holders;

/// <summary><c>credctl share create|list|revoke</c>: a holder's share codes (在线验证码), with the holder's JWT as the token.</summary>
internal static class ShareCommand
{
    public static Command Create(Credctl.Handlers handlers) =>
        new("share", "As a certificate holder: share codes that let an employer (or anyone) verify one of your certificates with the code alone")
        {
            CreateCode(handlers), List(handlers), Revoke(handlers),
        };

    private static Command CreateCode(Credctl.Handlers handlers)
    {
        var number = new Argument<string>("number") { Description = "One of your certificates" };
        var days = new Option<int>("--days") { Description = "How long the code answers, 1 to 180 days", Required = true };
        var purpose = new Option<string?>("--purpose") { Description = "What it is for, shown to whoever uses it, e.g. \"应聘 XX 公司\"" };
        var integrity = new Option<bool>("--include-integrity") { Description = "Also let whoever uses it see whether you have an active integrity record" };
        var command = new Command("create", "Make a share code for a certificate; it is shown this once.") { number, days, purpose, integrity };
        handlers.Set(command, async context =>
        {
            var response = await context.Client.Holders.CreateShareCodeAsync(new CreateShareCodeRequest
            {
                CertificateNumber = context.Get(number)!,
                ValidityDays = context.Get(days),
                Purpose = context.Get(purpose) ?? "",
                IncludeIntegrity = context.Get(integrity),
            }, context.CallOptions);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response);
                return ExitCodes.Ok;
            }
            context.Output.Line("Share code (shown once; only a hash of it is kept):");
            context.Output.Line();
            context.Output.Line($"    {response.Code}");
            context.Output.Line();
            Write(context.Output, response.ShareCode);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Credctl.Handlers handlers)
    {
        var certificate = new Option<string?>("--certificate") { Description = "Only the codes of this certificate", HelpName = "NUMBER" };
        var command = new Command("list", "List your share codes, newest first: active, expired and revoked.") { certificate };
        handlers.Set(command, async context =>
        {
            var request = new ListShareCodesRequest { CertificateNumber = context.Get(certificate) ?? "" };
            var all = new ListShareCodesResponse();
            do
            {
                var page = await context.Client.Holders.ListShareCodesAsync(request, context.CallOptions);
                all.ShareCodes.AddRange(page.ShareCodes);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);
            if (context.Output.Json)
            {
                context.Output.WriteJson(all);
                return ExitCodes.Ok;
            }
            if (all.ShareCodes.Count == 0)
            {
                context.Output.Line("You have made no share code.");
            }
            foreach (var code in all.ShareCodes)
            {
                context.Output.Line($"{code.Id,6}  {EnumNames.Short(code.State),-8}  {code.CertificateNumber}  until {code.ExpireTime.ToDateTimeOffset():yyyy-MM-dd'T'HH:mm:ss'Z'}" +
                    $"{(code.IncludeIntegrity ? "  +integrity" : "")}  {code.Purpose}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(Credctl.Handlers handlers)
    {
        var id = new Argument<long>("id") { Description = "The code's id, as 'share list' shows it" };
        var command = new Command("revoke", "Revoke a share code: it stops answering at once.") { id };
        handlers.Set(command, async context =>
        {
            var response = await context.Client.Holders.RevokeShareCodeAsync(new RevokeShareCodeRequest { Id = context.Get(id) }, context.CallOptions);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response.ShareCode);
                return ExitCodes.Ok;
            }
            context.Output.Line("Revoked:");
            Write(context.Output, response.ShareCode);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(Output output, ShareCode code) => output.Fields(
        ("id", code.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("certificate", code.CertificateNumber),
        ("state", EnumNames.Short(code.State)),
        ("expires", code.ExpireTime.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
        ("purpose", code.Purpose),
        ("integrity", code.IncludeIntegrity ? "shown (whether you have an active record)" : "not shown"));
}

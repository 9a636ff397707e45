using System.CommandLine;
using System.Text.Json.Nodes;
using Credentials.Cli.Certificates;
using Credentials.Cli.Hosting;
using Credentials.V1;

namespace Credentials.Cli.Holders;

/// <summary>
/// <c>credctl me [certificates|lookups|integrity]</c>: the holder's own place (HolderService), with the holder's
/// JWT as the token.
/// </summary>
internal static class MeCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var command = new Command("me",
            "As a certificate holder (token: your JWT from the identity provider): who you are signed in as; " +
            "with a command, your certificates, who looked them up, your integrity record")
        {
            Certificates(handlers), Lookups(handlers), Integrity(handlers),
        };
        handlers.Set(command, async context =>
        {
            var response = await context.Client.Holders.GetMeAsync(new GetMeRequest(), context.CallOptions);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response);
                return ExitCodes.Ok;
            }
            context.Output.Fields(
                ("signed in as", $"{response.Holder.Name} ({EnumNames.Short(response.Holder.DocumentType)} {response.Holder.DocumentMasked})"),
                ("token expires", response.TokenExpireTime?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Certificates(Credctl.Handlers handlers)
    {
        var saveQr = new Option<DirectoryInfo?>("--save-qr-text") { Description = "Also write each certificate's QR text to DIR/NUMBER.txt", HelpName = "DIR" };
        var command = new Command("certificates", "List your certificates, valid and revoked, with their QR text.") { saveQr };
        handlers.Set(command, async context =>
        {
            var request = new ListMyCertificatesRequest();
            var all = new List<Certificate>();
            do
            {
                var page = await context.Client.Holders.ListMyCertificatesAsync(request, context.CallOptions);
                all.AddRange(page.Certificates);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            if (context.Get(saveQr) is { } directory)
            {
                directory.Create();
                foreach (var certificate in all)
                {
                    await File.WriteAllTextAsync(Path.Combine(directory.FullName, certificate.Number + ".txt"), certificate.QrText + "\n", context.Cancellation);
                }
            }
            if (context.Output.Json)
            {
                context.Output.WriteJson(new JsonObject { ["certificates"] = new JsonArray([.. all.Select(c => (JsonNode)Output.ToNode(c))]) });
                return ExitCodes.Ok;
            }
            context.Output.Line(all.Count == 0 ? "No certificate is issued to you." : $"{all.Count} certificate(s):");
            foreach (var certificate in all)
            {
                context.Output.Line();
                CertificateText.Write(context.Output, certificate, withQrText: false);
                if (certificate.DocumentVersion == 1)
                {
                    context.Output.Fields(("note", "document version 1: its QR code carries a salted digest of your ID number; ask the issuing committee to reissue it"));
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Lookups(Credctl.Handlers handlers)
    {
        var certificate = new Option<string?>("--certificate") { Description = "Only the lookups of this certificate of yours", HelpName = "NUMBER" };
        var pageSize = new Option<int>("--page-size") { Description = "Lookups per page, 1 to 1000 (default 100)" };
        var pageToken = new Option<string?>("--page-token") { Description = "Continue from a previous page" };
        var command = new Command("lookups", "Who looked up your certificates (查询记录): when, who, how, with what answer; newest first.")
        {
            certificate, pageSize, pageToken,
        };
        handlers.Set(command, async context =>
        {
            var response = await context.Client.Holders.ListMyLookupsAsync(new ListMyLookupsRequest
            {
                CertificateNumber = context.Get(certificate) ?? "",
                PageSize = context.Get(pageSize),
                PageToken = context.Get(pageToken) ?? "",
            }, context.CallOptions);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response);
                return ExitCodes.Ok;
            }
            if (response.Lookups.Count == 0)
            {
                context.Output.Line("Nobody has looked up your certificates.");
            }
            foreach (var lookup in response.Lookups)
            {
                var who = lookup.Principal.Length > 0 ? $"{lookup.Principal} ({lookup.Role})" : lookup.Role;
                var how = lookup.Method == VerificationMethod.ShareCode ? $"share code {lookup.ShareCodeId}" : EnumNames.Short(lookup.Method).ToLowerInvariant();
                var answer = lookup.Method == VerificationMethod.Envelope ? EnumNames.Short(lookup.EnvelopeVerdict) : EnumNames.Short(lookup.Result);
                context.Output.Line($"{lookup.Time.ToDateTimeOffset():yyyy-MM-dd'T'HH:mm:ss'Z'}  {lookup.CertificateNumber}  {how,-14}  {answer,-13}  {who}");
            }
            if (response.NextPageToken.Length > 0)
            {
                context.Console.Error.WriteLine($"more with --page-token {response.NextPageToken}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Integrity(Credctl.Handlers handlers)
    {
        var command = new Command("integrity", "Your integrity record (诚信档案): every record about you, active or not, with rescissions.");
        handlers.Set(command, async context =>
        {
            var response = await context.Client.Holders.GetMyIntegrityRecordAsync(new GetMyIntegrityRecordRequest(), context.CallOptions);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response);
                return ExitCodes.Ok;
            }
            context.Output.Line(response.Records.Count == 0 ? "No record is about you."
                : response.HasActiveRecord ? "You have an active record." : "None of the records about you is active.");
            foreach (var record in response.Records)
            {
                context.Output.Line();
                context.Output.Line($"{record.Id}  {EnumNames.Short(record.State)}");
                context.Output.Fields(
                    ("type", EnumNames.Short(record.Type) + (record.OtherType.Length > 0 ? $" ({record.OtherType})" : "")),
                    ("as", EnumNames.Short(record.Subject.Role)),
                    ("facts", record.Facts),
                    ("decided", $"{Verification.VerifiedCertificateText.Date(record.DecisionDate)} by {record.DecidingBody} ({record.DecisionDocument})"),
                    ("active until", Verification.VerifiedCertificateText.Date(record.ActiveUntil)),
                    ("rescinded", record.Rescission is { } r ? $"{Verification.VerifiedCertificateText.Date(r.DecisionDate)}: {r.Reason} ({r.DecisionDocument})" : null));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Credentials.Cli.Hosting;
using Credentials.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Credentials.Cli.Certificates;

/// <summary>
/// <c>credctl issue</c>: one certificate from options (IssueCertificate), or a review session
/// from a CSV file (BatchIssueCertificates in chunks of at most 1000, all or nothing per chunk).
/// Without --request-id, each request's id is derived from its content, so running the same
/// command again replays what was issued instead of issuing twice, and resumes a batch that
/// stopped part way.
/// </summary>
internal static class IssueCommand
{
    public const int MaxChunk = 1000;

    public static Command Create(Credctl.Handlers handlers)
    {
        var committee = new Option<string>("--committee") { Description = "The issuing committee's code, e.g. DL-S01", Required = true };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key (default: derived from the content; a batch adds .1, .2, ... per chunk)" };
        var csv = new Option<string?>("--csv") { Description = "Issue every row of this CSV file (columns: " + string.Join(",", SpecFields.All) + ")" };
        var chunk = new Option<int>("--chunk-size") { Description = "Certificates per BatchIssueCertificates call (1 to 1000)", DefaultValueFactory = _ => MaxChunk };
        var reviewed = new Option<int>("--reviewed-count") { Description = "With --csv: how many applicants the session reviewed (pass-rate check; one chunk only)" };
        var fields = SpecFields.All.ToDictionary(f => f, f => new Option<string?>(FlagName(f)) { Description = FlagHelp(f) });

        var command = new Command("issue", "Issue one certificate (options) or a session's results (--csv). Committee or authority token.")
        {
            committee, requestId, csv, chunk, reviewed,
        };
        foreach (var option in fields.Values)
        {
            command.Options.Add(option);
        }
        handlers.Set(command, async context =>
        {
            var given = fields.Where(f => context.Get(f.Value) is not null).Select(f => FlagName(f.Key)).ToList();
            if (context.Get(csv) is { } path)
            {
                if (given.Count > 0)
                {
                    throw new UsageException($"--csv takes the content from the file; leave out {string.Join(", ", given)}.");
                }
                var size = context.Get(chunk);
                if (size is < 1 or > MaxChunk)
                {
                    throw new UsageException($"--chunk-size must be 1 to {MaxChunk}.");
                }
                var rows = CertificateCsv.Read(path);
                if (context.Get(reviewed) > 0 && rows.Count > size)
                {
                    throw new UsageException($"--reviewed-count applies to one batch; the file has {rows.Count} rows, more than --chunk-size {size}.");
                }
                return await IssueBatchAsync(context, context.Get(committee)!, context.Get(requestId), rows, size, context.Get(reviewed));
            }
            if (context.Get(reviewed) != 0)
            {
                throw new UsageException("--reviewed-count goes with --csv.");
            }
            var values = fields.ToDictionary(f => f.Key, f => context.Get(f.Value));
            var spec = SpecFields.Build(values, "issue", FlagName);
            var request = new IssueCertificateRequest { CommitteeCode = context.Get(committee)!, Spec = spec };
            request.RequestId = context.Get(requestId) ?? DerivedRequestId(request, context.Token);
            var response = await context.Client.Certificates.IssueCertificateAsync(request, context.CallOptions);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response.Certificate);
            }
            context.Output.Line("Issued:");
            CertificateText.Write(context.Output, response.Certificate);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"holder_name" is --name; the others are --review-meeting-date and so on.</summary>
    internal static string FlagName(string field) => field == SpecFields.HolderName ? "--name" : "--" + field.Replace('_', '-');

    private static async Task<int> IssueBatchAsync(CommandContext context, string committee, string? requestId,
        IReadOnlyList<CertificateCsv.Row> rows, int size, int reviewedCount)
    {
        var chunks = rows.Chunk(size).ToList();
        var progress = new ProgressBar(context.Console.Error, context.Console.ErrorIsTerminal, rows.Count, "certificates");
        var issued = new JsonArray();
        var done = 0;
        progress.Report(0);
        for (var k = 0; k < chunks.Count; k++)
        {
            var request = new BatchIssueCertificatesRequest { CommitteeCode = committee, ReviewedCount = reviewedCount };
            request.Items.AddRange(chunks[k].Select(r => r.Spec));
            request.RequestId = requestId is null ? DerivedRequestId(request, context.Token) : chunks.Count == 1 ? requestId : $"{requestId}.{k + 1}";
            BatchIssueCertificatesResponse response;
            try
            {
                response = await context.Client.Certificates.BatchIssueCertificatesAsync(request, context.CallOptions);
            }
            catch (RpcException e)
            {
                progress.Abandon();
                context.Console.Error.WriteLine(done == 0
                    ? $"credctl: chunk 1 of {chunks.Count} was refused; nothing was issued."
                    : $"credctl: chunk {k + 1} of {chunks.Count} was refused; the {done} certificates of chunks 1 to {k} are issued. "
                      + "Run the same command again (same file, same --request-id if any) to resume: issued chunks are replayed, not issued twice.");
                throw WithRows(e, chunks[k]);
            }
            for (var i = 0; i < response.Certificates.Count; i++)
            {
                var certificate = response.Certificates[i];
                var row = chunks[k][i].Number;
                issued.Add(new JsonObject
                {
                    ["row"] = row,
                    ["number"] = certificate.Number,
                    ["holderName"] = certificate.Spec.Holder.Name,
                    ["qrText"] = certificate.QrText,
                });
                context.Output.Line($"row {row}\t{certificate.Number}\t{certificate.Spec.Holder.Name}");
            }
            done += response.Certificates.Count;
            progress.Report(done);
        }
        if (context.Output.Json)
        {
            context.Output.WriteJson(new JsonObject { ["issued"] = done, ["batches"] = chunks.Count, ["certificates"] = issued });
        }
        context.Output.Line($"Issued {done} certificates in {chunks.Count} batch(es).");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// "credctl-" and 32 hex digits of an HMAC over the request without its id, keyed by the caller's
    /// token: the same content from the same principal gives the same id, so a rerun resumes. Keyed,
    /// because the request holds the full ID number and the server stores the id: a plain hash of it
    /// would let anyone with a copy of the store test guesses of the number offline.
    /// </summary>
    internal static string DerivedRequestId<T>(T request, string? token) where T : IMessage<T>
    {
        var copy = request.Clone();
        copy.Descriptor.FindFieldByName("request_id").Accessor.Clear(copy);
        var key = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("credctl request id\n" + token));
        return "credctl-" + Convert.ToHexStringLower(HMACSHA256.HashData(key, copy.ToByteArray()))[..32];
    }

    /// <summary>The error with "items[3].level" also naming the CSV row, "items[3] (row 5).level".</summary>
    private static RpcException WithRows(RpcException e, CertificateCsv.Row[] chunk)
    {
        if (e.GetRpcStatus() is not { } details || details.GetDetail<Google.Rpc.BadRequest>() is not { } badRequest)
        {
            return e;
        }
        foreach (var violation in badRequest.FieldViolations)
        {
            var match = System.Text.RegularExpressions.Regex.Match(violation.Field, @"^items\[(\d+)\]");
            if (match.Success && int.TryParse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < chunk.Length)
            {
                violation.Field = $"{match.Value} (row {chunk[index].Number}){violation.Field[match.Length..]}";
            }
        }
        var renamed = details.Clone();
        renamed.Details.Clear();
        renamed.Details.AddRange(details.Details.Select(d => d.Is(Google.Rpc.BadRequest.Descriptor) ? Google.Protobuf.WellKnownTypes.Any.Pack(badRequest) : d));
        return renamed.ToRpcException();
    }

    private static string FlagHelp(string field) => field switch
    {
        SpecFields.HolderName => "The holder's name as on the identity document",
        SpecFields.DocumentType => "Identity document kind (default resident-id-card): " + string.Join(", ", EnumNames.Choices<DocumentType>()),
        SpecFields.DocumentNumber => "The holder's document number (sent once, never stored in clear)",
        SpecFields.Series => "Title series, e.g. 工程系列",
        SpecFields.Specialty => "Specialty, e.g. 建筑工程",
        SpecFields.Level => "Title level: " + string.Join(", ", EnumNames.Choices<TitleLevel>()),
        SpecFields.TitleName => "Title conferred, e.g. 高级工程师",
        SpecFields.ReviewMeetingDate => "Review meeting date, yyyy-MM-dd",
        SpecFields.ReviewYear => "Review year (default: the meeting's year)",
        SpecFields.QualificationDate => "Date the qualification takes effect, yyyy-MM-dd",
        SpecFields.ApprovalDocument => "Approval document number (文号)",
        _ => field,
    };
}

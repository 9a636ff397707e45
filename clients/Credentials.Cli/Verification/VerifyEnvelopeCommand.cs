using System.CommandLine;
using Credentials.Cli.Hosting;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Cli.Verification;

/// <summary>
/// <c>credctl verify-envelope FILE|TC1:...|-</c>: online through VerifyEnvelope, or with
/// <c>--offline --keys keys.json</c> without the server (<see cref="OfflineVerifier"/>).
/// </summary>
internal static class VerifyEnvelopeCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var source = new Argument<string>("source")
        {
            Description = "A file with the envelope bytes or its TC1: text, the TC1: text itself, or - for standard input",
        };
        var offline = new Option<bool>("--offline") { Description = "Verify without the server, against --keys" };
        var keys = new Option<string?>("--keys") { Description = "The key set saved by 'credctl keys save' (with --offline)" };
        var command = new Command("verify-envelope",
            "Verify a signed certificate (envelope file or QR text) step by step. Exit 0 valid, 2 any other verdict.")
        {
            source, offline, keys,
        };
        handlers.Set(command, async context =>
        {
            if (context.Get(offline) != (context.Get(keys) is not null))
            {
                throw new UsageException("--offline and --keys go together.");
            }
            var input = EnvelopeSource.Read(context.Get(source)!, context.Console);
            VerifyEnvelopeResponse response;
            if (context.Get(offline))
            {
                response = OfflineVerifier.Verify(input, KeySet.Load(context.Get(keys)!));
            }
            else
            {
                var request = input.QrText is { } text
                    ? new VerifyEnvelopeRequest { QrText = text }
                    : new VerifyEnvelopeRequest { Envelope = ByteString.CopyFrom(input.EnvelopeBytes) };
                response = await context.Client.Verification.VerifyEnvelopeAsync(request, context.CallOptions);
            }
            return Report(context.Output, response, context.Get(offline));
        });
        return command;
    }

    internal static int Report(Output output, VerifyEnvelopeResponse response, bool offline)
    {
        if (output.Json)
        {
            var node = Output.ToNode(response);
            node["offline"] = offline;
            output.WriteJson(node);
        }
        else
        {
            output.Line($"{EnumNames.Short(response.Verdict)}{(offline ? " (offline)" : "")}"
                + (response.Certificate is { Number.Length: > 0 } c ? $": {c.Number}" : ""));
            foreach (var check in response.Checks)
            {
                output.Line($"  [{Mark(check.Outcome)}] {EnumNames.Short(check.Step).ToLowerInvariant().Replace('_', ' '),-12} {check.Detail}");
            }
            if (response.Certificate is { } certificate)
            {
                VerifiedCertificateText.Write(output, certificate);
            }
        }
        return response.Verdict == EnvelopeVerdict.Valid ? ExitCodes.Ok : ExitCodes.NotValid;
    }

    private static string Mark(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Passed => "pass",
        CheckOutcome.Failed => "FAIL",
        _ => "skip",
    };
}

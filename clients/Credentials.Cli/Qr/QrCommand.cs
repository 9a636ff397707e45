using System.CommandLine;
using System.Text.Json.Nodes;
using Credentials.Cli.Hosting;
using Credentials.Cli.Verification;
using Credentials.Core.Envelopes;
using Credentials.V1;
using Google.Protobuf;
using QRCoder;

namespace Credentials.Cli.Qr;

/// <summary>
/// <c>credctl qr NUMBER|FILE --png|--svg|--terminal</c>: the certificate's QR code, holding its
/// TC1: text (alphanumeric mode: Base45 is the QR alphanumeric alphabet). From a number the text
/// is fetched with GetCertificate; from a file (envelope bytes or TC1: text) nothing is sent.
/// </summary>
internal static class QrCommand
{
    private const int PixelsPerModule = 8;

    public static Command Create(Credctl.Handlers handlers)
    {
        var source = new Argument<string>("source") { Description = "A certificate number, a file with its envelope or TC1: text, or the TC1: text" };
        var png = new Option<string?>("--png") { Description = "Write a PNG image to this file" };
        var svg = new Option<string?>("--svg") { Description = "Write an SVG image to this file" };
        var terminal = new Option<bool>("--terminal") { Description = "Draw the code on standard output with block characters" };
        var command = new Command("qr", "Render a certificate's QR code (PNG, SVG or terminal)") { source, png, svg, terminal };
        handlers.Set(command, async context =>
        {
            if (context.Get(png) is null && context.Get(svg) is null && !context.Get(terminal))
            {
                throw new UsageException("say where: --png FILE, --svg FILE and/or --terminal.");
            }
            var text = await QrTextOfAsync(context, context.Get(source)!);
            using var generator = new QRCodeGenerator();
            using var data = Encode(generator, text);
            if (context.Get(png) is { } pngPath)
            {
                Write(pngPath, () => File.WriteAllBytes(pngPath, new PngByteQRCode(data).GetGraphic(PixelsPerModule)));
            }
            if (context.Get(svg) is { } svgPath)
            {
                Write(svgPath, () => File.WriteAllText(svgPath, new SvgQRCode(data).GetGraphic(PixelsPerModule)));
            }
            if (context.Output.Json)
            {
                context.Output.WriteJson(new JsonObject
                {
                    ["qrText"] = text,
                    ["version"] = data.Version,
                    ["png"] = context.Get(png),
                    ["svg"] = context.Get(svg),
                });
            }
            else if (context.Get(terminal))
            {
                // Dark modules as spaces on a light background, so phone cameras read it from dark terminals too.
                context.Output.Line(new AsciiQRCode(data).GetGraphicSmall(drawQuietZones: true, invert: true));
            }
            context.Console.Error.WriteLine($"QR code version {data.Version}, {text.Length} characters"
                + (context.Get(png) is { } p ? $", PNG {p}" : "") + (context.Get(svg) is { } s ? $", SVG {s}" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> QrTextOfAsync(CommandContext context, string source)
    {
        if (source.StartsWith(QrText.Prefix, StringComparison.Ordinal) || File.Exists(source) || source == "-")
        {
            var input = EnvelopeSource.Read(source, context.Console);
            if (input.QrText is { } text)
            {
                return QrText.Decode(text).IsSuccess ? text : throw new UsageException($"{source}: not a valid TC1: text.");
            }
            try
            {
                return QrText.Encode(Envelope.Parser.ParseFrom(input.EnvelopeBytes));
            }
            catch (InvalidProtocolBufferException)
            {
                throw new UsageException($"{source}: neither a TC1: text nor an envelope.");
            }
        }
        var response = await context.Client.Certificates.GetCertificateAsync(new GetCertificateRequest { Number = source }, context.CallOptions);
        return response.Certificate.QrText;
    }

    /// <summary>Error correction M (15%) when the text fits, else L: the largest certificates still fit a code.</summary>
    private static QRCodeData Encode(QRCodeGenerator generator, string text)
    {
        try
        {
            return QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        }
        catch (QRCoder.Exceptions.DataTooLongException)
        {
            return QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.L);
        }
    }

    private static void Write(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write {path}: {e.Message}");
        }
    }
}

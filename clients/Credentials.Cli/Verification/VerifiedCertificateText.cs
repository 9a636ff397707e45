using Credentials.Cli.Hosting;
using Credentials.Core.Time;
using Credentials.V1;

namespace Credentials.Cli.Verification;

/// <summary>How a verified certificate reads in text output.</summary>
internal static class VerifiedCertificateText
{
    /// <param name="more">Further lines, aligned with the certificate's (what a share code adds).</param>
    public static void Write(Output output, VerifiedCertificate certificate, params (string Label, string? Value)[] more)
    {
        output.Fields([
            ("number", certificate.Number),
            ("holder", $"{certificate.HolderName} ({EnumNames.Short(certificate.HolderDocumentType)} {certificate.HolderDocumentMasked})"),
            ("title", $"{certificate.TitleName} ({EnumNames.Short(certificate.Level)}), {certificate.Series} / {certificate.Specialty}"),
            ("committee", $"{certificate.CommitteeCode} {certificate.CommitteeName}"),
            ("review year", certificate.ReviewYear == 0 ? null : certificate.ReviewYear.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("qualified on", Date(certificate.QualificationDate)),
            ("approval", certificate.ApprovalDocument),
            ("issued at", certificate.IssueTime?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            ("revoked", certificate.Revocation is { } r ? $"{Date(r.EffectiveDate)} ({EnumNames.Short(r.Reason)})" : null),
            .. more]);
    }

    public static string? Date(Google.Type.Date? date) => Dates.ToDateOnly(date) is { } d ? Dates.ToIso(d) : null;
}

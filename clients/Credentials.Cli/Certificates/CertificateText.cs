using Credentials.Cli.Hosting;
using Credentials.Cli.Verification;
using Credentials.V1;

namespace Credentials.Cli.Certificates;

/// <summary>How a certificate reads in text output.</summary>
internal static class CertificateText
{
    public static void Write(Output output, Certificate certificate, bool withQrText = true)
    {
        var spec = certificate.Spec;
        output.Line($"{certificate.Number}  {EnumNames.Short(certificate.State)}");
        output.Fields(
            ("holder", $"{spec.Holder.Name} ({EnumNames.Short(spec.Holder.DocumentType)} {spec.Holder.DocumentMasked})"),
            ("title", $"{spec.TitleName} ({EnumNames.Short(spec.Level)}), {spec.Series} / {spec.Specialty}"),
            ("committee", $"{certificate.CommitteeCode} {certificate.CommitteeName}"),
            ("review meeting", VerifiedCertificateText.Date(spec.ReviewMeetingDate)),
            ("qualified on", VerifiedCertificateText.Date(spec.QualificationDate)),
            ("approval", spec.ApprovalDocument),
            ("issued", $"{certificate.IssueTime?.ToDateTimeOffset():yyyy-MM-dd'T'HH:mm:ss'Z'}{By(certificate.IssuedBy)}"),
            ("reissued", certificate.ReissueTime?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            ("revoked", certificate.Revocation is { } r
                ? $"{VerifiedCertificateText.Date(r.EffectiveDate)} ({EnumNames.Short(r.Reason)}, {r.DecisionDocument}){By(r.RecordedBy)}"
                : null),
            ("misconduct", certificate.Revocation?.MisconductRecordId is { Length: > 0 } record ? $"{record} (诚信档案)" : null),
            ("qr text", withQrText ? certificate.QrText : null));
    }

    /// <summary>" by NAME", or nothing where the answer leaves the principal out (a holder's view).</summary>
    private static string By(string principal) => principal.Length == 0 ? "" : " by " + principal;
}

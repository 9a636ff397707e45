using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Time;
using Credentials.Server.Keys;
using Credentials.Server.Verification;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Verification;

/// <summary>Calls and documents the verification tests share.</summary>
internal static class VerificationFixtures
{
    public const string HolderName = "张伟";

    /// <summary>A well-formed number (right check character) that no test issues.</summary>
    public static readonly string UnknownNumber = CertificateNumber.Format("DL-S01", 2024, 999_000);

    public static Task<VerifyCertificateResponse> VerifyAsync(this TestServer server, string number, string name = HolderName, string? token = null,
        DocumentType type = DocumentType.Unspecified, string documentNumber = "") =>
        server.Verification(token).VerifyCertificateAsync(
            new VerifyCertificateRequest { Number = number, HolderName = name, DocumentType = type, DocumentNumber = documentNumber }).ResponseAsync;

    public static Task<VerifyEnvelopeResponse> VerifyEnvelopeAsync(this TestServer server, Envelope envelope, string? token = null) =>
        server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { Envelope = envelope.ToByteString() }, token);

    public static Task<VerifyEnvelopeResponse> VerifyEnvelopeAsync(this TestServer server, VerifyEnvelopeRequest request, string? token = null) =>
        server.Verification(token).VerifyEnvelopeAsync(request).ResponseAsync;

    public static Task<ListVerificationsResponse> ListVerificationsAsync(this TestServer server, ListVerificationsRequest request, string? token = null) =>
        server.Verification(token ?? server.AuthorityToken).ListVerificationsAsync(request).ResponseAsync;

    public static Task FlushAccessLogAsync(this TestServer server) => server.Services.GetRequiredService<VerificationLog>().FlushAsync();

    public static Task<RevokeCertificateResponse> RevokeAsync(this TestServer server, string number, string token) =>
        server.Certificates(token).RevokeCertificateAsync(new RevokeCertificateRequest
        {
            Number = number,
            Revocation = new Revocation
            {
                Reason = RevocationReason.Other, Details = "冒名顶替", DecisionDocument = "大人社发〔2024〕40号", EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 10)),
            },
        }).ResponseAsync;

    /// <summary>The signed document of an issued certificate.</summary>
    public static CertificateDocument DocumentOf(Certificate certificate) => CertificateDocument.Parser.ParseFrom(certificate.Envelope.Payload);

    /// <summary>An envelope signed with the server's own active key over <paramref name="document"/>.</summary>
    public static Envelope SignWithServerKey(this TestServer server, CertificateDocument document)
    {
        var key = server.Services.GetRequiredService<KeyRing>().Active;
        document.KeyId = key.KeyId;
        return EnvelopeSigner.SignCertificate(document, key);
    }

    public static Timestamp At(DateTimeOffset time) => Timestamp.FromDateTimeOffset(time);
}

using System.Security.Cryptography;
using System.Text;
using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Identity;
using Credentials.Core.Time;
using Credentials.Server.Keys;
using Credentials.Store.Certificates;
using Credentials.Store.Committees;
using Credentials.Store.Writing;
using Credentials.Testing;
using Credentials.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Certificates;

/// <summary>
/// Requests the certificate tests share: a 2024 senior engineering title of DL-S01, and how tests come by issued
/// certificates (here, so that a change in how certificates are issued touches one place).
/// </summary>
public static class CertificateFixtures
{
    public static string IdNumber(int person) => Samples.ResidentId(new DateOnly(1980, 1, 1).AddDays(person * 37), person % 1000);

    public static CertificateSpec Spec(int person = 1, string specialty = "建筑工程", string series = "工程系列", TitleLevel level = TitleLevel.DeputySenior) =>
        SpecFor(IdNumber(person), specialty: specialty, series: series, level: level);

    /// <summary>The same title for the holder of <paramref name="idNumber"/>.</summary>
    public static CertificateSpec SpecFor(string idNumber, string name = "张伟", string specialty = "建筑工程", string series = "工程系列",
        TitleLevel level = TitleLevel.DeputySenior) => new()
    {
        Holder = new Holder { Name = name, DocumentType = DocumentType.ResidentIdCard, DocumentNumber = idNumber },
        Series = series,
        Specialty = specialty,
        Level = level,
        TitleName = "高级工程师",
        ReviewMeetingDate = Dates.ToProto(new DateOnly(2024, 10, 25)),
        ReviewYear = 2024,
        QualificationDate = Dates.ToProto(new DateOnly(2024, 12, 1)),
        ApprovalDocument = "大人社发〔2024〕15号",
    };

    public static IssueCertificateRequest Issue(string requestId, int person = 1, string committee = "DL-S01", string specialty = "建筑工程") =>
        new() { RequestId = requestId, CommitteeCode = committee, Spec = Spec(person, specialty) };

    /// <summary>Issues a certificate of <paramref name="spec"/> by committee <paramref name="committee"/> (as the authority by default).</summary>
    public static async Task<Certificate> IssueAsync(this TestServer server, CertificateSpec spec, string? token = null, string committee = "DL-S01") =>
        (await server.Certificates(token ?? server.AuthorityToken).IssueCertificateAsync(
            new IssueCertificateRequest { RequestId = Guid.NewGuid().ToString(), CommitteeCode = committee, Spec = spec })).Certificate;

    /// <summary>
    /// A certificate as the service issued them before document version 2: its document carries SHA-256(salt || number)
    /// and the salt, its payload type is version 1, its ledger event no pseudonym. Stored directly, since nothing
    /// signs version 1 any more; returns its number.
    /// </summary>
    public static Task<string> IssueVersionOneAsync(this TestServer server, CertificateSpec spec, string committee = "DL-S01")
    {
        var key = server.Services.GetRequiredService<KeyRing>().Active;
        var digests = server.Services.GetRequiredService<HolderDigests>();
        var number = IdentityDocument.Normalize(spec.Holder.DocumentNumber);
        var content = new CertificateContent(spec.Holder.Name, spec.Holder.DocumentType, number, spec.Series, spec.Specialty, spec.Level, spec.TitleName,
            Dates.ToDateOnly(spec.ReviewMeetingDate)!.Value, spec.ReviewYear, Dates.ToDateOnly(spec.QualificationDate)!.Value, spec.ApprovalDocument);
        return server.Services.GetRequiredService<StoreWriter>().ExecuteAsync(null, tx =>
        {
            var owner = CommitteeRepository.Get(tx.Connection, committee, tx.Transaction)!;
            var serial = CertificateRepository.MaxSerial(tx.Connection, committee, spec.ReviewYear, tx.Transaction) + 1;
            var certificateNumber = CertificateNumber.Format(committee, spec.ReviewYear, serial);
            var document = CertificateDocuments.Create(certificateNumber, content, owner, tx.Now, key.KeyId);
            var salt = RandomNumberGenerator.GetBytes(16);
            document.HolderDocumentSalt = ByteString.CopyFrom(salt);
            document.HolderDocumentDigest = ByteString.CopyFrom(SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(number)]));
            var envelope = EnvelopeSigner.Sign(PayloadTypes.CertificateV1, document.ToByteString(), key);
            var sequence = tx.Ledger.Append(new LedgerEvent
            {
                CommitteeCode = committee,
                ReviewYear = spec.ReviewYear,
                CertificateIssued = new CertificateIssued { Number = certificateNumber, Level = spec.Level, Series = spec.Series, Envelope = envelope },
            }, "legacy");
            CertificateRepository.Insert(tx.Connection, tx.Transaction, new CertificateRow(certificateNumber, committee, spec.ReviewYear, serial, spec.Level,
                spec.Series, digests.Lookup(spec.Holder.DocumentType, number), sequence, "legacy"));
            return certificateNumber;
        });
    }

    /// <summary>What a revocation for fraud needs for the holder's misconduct record.</summary>
    public static FraudFinding Finding(string facts = "申报材料中的业绩证明系伪造，经核查属实") =>
        new() { Unit = "大连市建筑设计研究院", Facts = facts, DecidingBody = "大连市人力资源和社会保障局" };
}

using Credentials.Server.Tests.Certificates;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using static Credentials.Server.Tests.Verification.VerificationFixtures;

namespace Credentials.Server.Tests.Verification;

public sealed class VerifyCertificateTests : SeededServerTest
{
    [Fact]
    public async Task VerifyCertificate_NumberAndName_IsValidWithWhatTheCertificateSaysAndTheNumberMasked()
    {
        var issued = await Server.IssueAsync(1, Committee);

        var response = await Server.VerifyAsync(issued.Number);

        Assert.Equal(VerificationResult.Valid, response.Result);
        var certificate = response.Certificate;
        Assert.Equal(issued.Number, certificate.Number);
        Assert.Equal(HolderName, certificate.HolderName);
        Assert.Equal("高级工程师", certificate.TitleName);
        Assert.Equal(TitleLevel.DeputySenior, certificate.Level);
        Assert.Equal("建筑工程", certificate.Specialty);
        Assert.Equal("DL-S01", certificate.CommitteeCode);
        Assert.Equal(2024, certificate.ReviewYear);
        Assert.Equal(new Google.Type.Date { Year = 2024, Month = 12, Day = 1 }, certificate.QualificationDate);
        Assert.Equal(issued.Spec.Holder.DocumentMasked, certificate.HolderDocumentMasked);
        Assert.Contains("*", certificate.HolderDocumentMasked, StringComparison.Ordinal);
        Assert.DoesNotContain(CertificateFixtures.IdNumber(1), response.ToString(), StringComparison.Ordinal);
        Assert.Null(certificate.Revocation);
    }

    [Fact]
    public async Task VerifyCertificate_LowerCaseNumberAndSpacedName_IsValid()
    {
        var issued = await Server.IssueAsync(1, Committee);

        var response = await Server.VerifyAsync(" " + issued.Number.ToLowerInvariant() + " ", "  " + HolderName + " ");

        Assert.Equal(VerificationResult.Valid, response.Result);
    }

    [Fact]
    public async Task VerifyCertificate_RightDocument_IsValid()
    {
        var issued = await Server.IssueAsync(1, Committee);

        var response = await Server.VerifyAsync(issued.Number, type: DocumentType.ResidentIdCard, documentNumber: CertificateFixtures.IdNumber(1));

        Assert.Equal(VerificationResult.Valid, response.Result);
    }

    [Fact]
    public async Task VerifyCertificate_Revoked_IsRevokedWithDateAndReason()
    {
        var issued = await Server.IssueAsync(1, Committee);
        await Server.RevokeAsync(issued.Number, Committee);

        var response = await Server.VerifyAsync(issued.Number);

        Assert.Equal(VerificationResult.Revoked, response.Result);
        Assert.Equal(RevocationReason.Other, response.Certificate.Revocation.Reason);
        Assert.Equal(new Google.Type.Date { Year = 2024, Month = 12, Day = 10 }, response.Certificate.Revocation.EffectiveDate);
    }

    [Fact]
    public async Task VerifyCertificate_WrongNameWrongDocumentUnknownNumber_AnswerTheSameBytes()
    {
        var issued = await Server.IssueAsync(1, Committee);
        var revoked = (await Server.IssueAsync(2, Committee)).Number;
        await Server.RevokeAsync(revoked, Committee);

        var unknown = await Server.VerifyAsync(UnknownNumber);
        var wrongName = await Server.VerifyAsync(issued.Number, "李娜");
        var wrongDocument = await Server.VerifyAsync(issued.Number, type: DocumentType.ResidentIdCard, documentNumber: CertificateFixtures.IdNumber(2));
        var wrongDocumentType = await Server.VerifyAsync(issued.Number, type: DocumentType.Passport, documentNumber: "E12345678");
        var wrongNameOfRevoked = await Server.VerifyAsync(revoked, "王芳");

        Assert.Equal(VerificationResult.NotFound, unknown.Result);
        Assert.Null(unknown.Certificate);
        var expected = unknown.ToByteArray();
        Assert.Equal(expected, wrongName.ToByteArray());
        Assert.Equal(expected, wrongDocument.ToByteArray());
        Assert.Equal(expected, wrongDocumentType.ToByteArray());
        Assert.Equal(expected, wrongNameOfRevoked.ToByteArray());
    }

    [Fact]
    public async Task VerifyCertificate_NameLongerShorterOrFarLonger_IsNotFound()
    {
        var issued = await Server.IssueAsync(1, Committee);
        // 50 characters, each a letter with combining marks: 250 UTF-16 code units after NFC, more than the names compared as they are.
        var farLonger = string.Concat(Enumerable.Repeat("e\u0301\u0302\u0303\u0304\u0305", 50));

        var longer = await Server.VerifyAsync(issued.Number, HolderName + HolderName[^1]);
        var shorter = await Server.VerifyAsync(issued.Number, HolderName[..^1]);
        var far = await Server.VerifyAsync(issued.Number, farLonger);

        Assert.Equal(VerificationResult.NotFound, longer.Result);
        Assert.Equal(VerificationResult.NotFound, shorter.Result);
        Assert.Equal(VerificationResult.NotFound, far.Result);
        Assert.Equal(VerificationResult.Valid, (await Server.VerifyAsync(issued.Number, HolderName)).Result);
    }

    [Fact]
    public async Task VerifyCertificate_WrongCheckCharacter_IsInvalidArgumentNamingNumber()
    {
        var issued = await Server.IssueAsync(1, Committee);
        var last = issued.Number[^1];
        var mistyped = issued.Number[..^1] + (last == 'A' ? 'B' : 'A');

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.VerifyAsync(mistyped));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("number", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Theory]
    [InlineData(DocumentType.ResidentIdCard, "", "document_number")]
    [InlineData(DocumentType.Unspecified, "210202198001010011", "document_type")]
    [InlineData(DocumentType.ResidentIdCard, "123", "document_number")]
    public async Task VerifyCertificate_HalfOrMalformedDocument_IsInvalidArgumentNamingIt(DocumentType type, string number, string field)
    {
        var issued = await Server.IssueAsync(1, Committee);

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.VerifyAsync(issued.Number, type: type, documentNumber: number));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task VerifyCertificate_NoName_IsInvalidArgumentNamingHolderName()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.VerifyAsync(UnknownNumber, ""));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("holder_name", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }
}

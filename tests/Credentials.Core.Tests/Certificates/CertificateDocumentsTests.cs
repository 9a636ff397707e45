using Credentials.Core.Certificates;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Core.Tests.Certificates;

public sealed class CertificateDocumentsTests
{
    private static readonly Core.Committees.Committee Committee = new(
        "DL-S01", "大连市工程系列城乡建设行业高级专业技术资格评审委员会", "大连市住建局", "大连市", "工程系列", ["建筑工程"], [TitleLevel.DeputySenior],
        new DateOnly(2024, 1, 1), new DateOnly(2028, 12, 31), CommitteeState.Active, "10月下旬", [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static CertificateContent Content(string number) => new("张伟", DocumentType.ResidentIdCard, number, "工程系列", "建筑工程",
        TitleLevel.DeputySenior, "高级工程师", new DateOnly(2024, 10, 25), 2024, new DateOnly(2024, 12, 1), "大人社发〔2024〕15号");

    [Fact]
    public void Create_CarriesTheMaskedNumberAndNothingDerivedFromTheFullOne()
    {
        var document = CertificateDocuments.Create("DL-S01-2024-000001X", Content("21020219800101123X"), Committee, DateTimeOffset.UnixEpoch, "sm2-1");

        Assert.Equal("21**************3X", document.HolderDocumentMasked);
        Assert.True(document.HolderDocumentDigest.IsEmpty);
        Assert.True(document.HolderDocumentSalt.IsEmpty);
        Assert.Null(CertificateDocuments.VersionProblem(document, 2));
    }

    [Fact]
    public void Create_TwoNumbersWithTheSameMask_GiveTheSameDocument()
    {
        var first = CertificateDocuments.Create("DL-S01-2024-000001X", Content("21020219800101123X"), Committee, DateTimeOffset.UnixEpoch, "sm2-1");
        var second = CertificateDocuments.Create("DL-S01-2024-000001X", Content("21020219911231993X"), Committee, DateTimeOffset.UnixEpoch, "sm2-1");

        Assert.Equal(first.ToByteArray(), second.ToByteArray());
    }

    [Fact]
    public void Reissue_VersionOneDocument_DropsTheDigestAndSaltAndTakesTheNewTimeAndKey()
    {
        var old = CertificateDocuments.Create("DL-S01-2024-000001X", Content("21020219800101123X"), Committee, DateTimeOffset.UnixEpoch, "sm2-old");
        old.HolderDocumentDigest = ByteString.CopyFrom(new byte[32]);
        old.HolderDocumentSalt = ByteString.CopyFrom(new byte[16]);
        var at = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

        var reissued = CertificateDocuments.Reissue(old, at, "sm2-new");

        Assert.NotNull(CertificateDocuments.VersionProblem(old, 2));
        Assert.Null(CertificateDocuments.VersionProblem(old, 1));
        Assert.Null(CertificateDocuments.VersionProblem(reissued, 2));
        Assert.Equal((Timestamp.FromDateTimeOffset(at), "sm2-new"), (reissued.IssuedAt, reissued.KeyId));
        Assert.Equal(old.HolderName, reissued.HolderName);
        Assert.Equal(32, old.HolderDocumentDigest.Length);
    }
}

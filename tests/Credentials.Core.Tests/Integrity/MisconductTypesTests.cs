using Credentials.Core.Integrity;
using Credentials.V1;

namespace Credentials.Core.Tests.Integrity;

public class MisconductTypesTests
{
    [Theory]
    [InlineData(MisconductType.FalseMaterials, SubjectRole.Applicant, true)]
    [InlineData(MisconductType.FalseMaterials, SubjectRole.Expert, false)]
    [InlineData(MisconductType.UntrueDeclaration, SubjectRole.Staff, false)]
    [InlineData(MisconductType.ReviewDisciplineBreach, SubjectRole.Expert, true)]
    [InlineData(MisconductType.ReviewDisciplineBreach, SubjectRole.Staff, true)]
    [InlineData(MisconductType.ReviewDisciplineBreach, SubjectRole.Applicant, false)]
    [InlineData(MisconductType.StaffMisconduct, SubjectRole.Staff, true)]
    [InlineData(MisconductType.StaffMisconduct, SubjectRole.Expert, false)]
    [InlineData(MisconductType.ForgedCertificate, SubjectRole.Expert, true)]
    [InlineData(MisconductType.Other, SubjectRole.Applicant, true)]
    [InlineData(MisconductType.Other, SubjectRole.Unspecified, false)]
    public void Fits_RoleAndType_AreMatched(MisconductType type, SubjectRole role, bool fits)
    {
        Assert.Equal(fits, MisconductTypes.Fits(type, role));
    }

    [Theory]
    [InlineData(MisconductType.FalseMaterials, RevocationReason.FalseMaterials)]
    [InlineData(MisconductType.Plagiarism, RevocationReason.Plagiarism)]
    [InlineData(MisconductType.ImproperMeans, RevocationReason.ImproperMeans)]
    [InlineData(MisconductType.UntrueDeclaration, RevocationReason.ImproperMeans)]
    public void Revocation_ApplicantFraud_MapsToTheLegalGround(MisconductType type, RevocationReason reason)
    {
        Assert.Equal(reason, MisconductTypes.Revocation(type).Reason);
    }

    [Fact]
    public void Revocation_UntrueDeclaration_SaysSoInTheDetails()
    {
        Assert.Contains("承诺不实", MisconductTypes.Revocation(MisconductType.UntrueDeclaration).Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Revocation_NotApplicantFraud_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MisconductTypes.Revocation(MisconductType.ForgedCertificate));
    }

    [Theory]
    [InlineData(RevocationReason.FalseMaterials, MisconductType.FalseMaterials)]
    [InlineData(RevocationReason.Plagiarism, MisconductType.Plagiarism)]
    [InlineData(RevocationReason.ImproperMeans, MisconductType.ImproperMeans)]
    [InlineData(RevocationReason.IssuedInError, null)]
    [InlineData(RevocationReason.Other, null)]
    [InlineData(RevocationReason.Unspecified, null)]
    public void ForRevocation_FraudOnly_RecordsTheMatchingMisconduct(RevocationReason reason, MisconductType? expected)
    {
        Assert.Equal(expected, MisconductTypes.ForRevocation(reason));
    }

    [Theory]
    [InlineData(RevocationReason.FalseMaterials)]
    [InlineData(RevocationReason.Plagiarism)]
    [InlineData(RevocationReason.ImproperMeans)]
    public void ForRevocation_ThenRevocation_GivesTheSameReasonBack(RevocationReason reason)
    {
        Assert.Equal(reason, MisconductTypes.Revocation(MisconductTypes.ForRevocation(reason)!.Value).Reason);
    }
}

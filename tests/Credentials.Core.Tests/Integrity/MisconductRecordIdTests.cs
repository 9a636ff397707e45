using Credentials.Core.Integrity;

namespace Credentials.Core.Tests.Integrity;

public class MisconductRecordIdTests
{
    [Fact]
    public void Format_YearAndSerial_IsPadded()
    {
        Assert.Equal("MR-2024-000123", MisconductRecordId.Format(2024, 123));
        Assert.Null(MisconductRecordId.Check(MisconductRecordId.Format(2024, MisconductRecordId.MaxSerial)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("MR-2024-00012")]
    [InlineData("MR-2024-0001234")]
    [InlineData("MR-2024-000000")]
    [InlineData("MR-20X4-000123")]
    [InlineData("MX-2024-000123")]
    [InlineData("MR_2024-000123")]
    [InlineData("MR-2024-00012A")]
    public void Check_Malformed_IsRefused(string id)
    {
        Assert.NotNull(MisconductRecordId.Check(MisconductRecordId.Normalize(id)));
    }

    [Fact]
    public void Normalize_LowerCaseAndSpaces_AreAccepted()
    {
        Assert.Null(MisconductRecordId.Check(MisconductRecordId.Normalize(" mr-2024-000123 ")));
    }
}

using Credentials.Core.Committees;
using Credentials.Core.Validation;
using Credentials.Testing;
using Credentials.V1;

namespace Credentials.Core.Tests.Committees;

public class CommitteeCsvTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_DalianTable_ReadsEveryCommitteeAsValid()
    {
        var committees = CommitteeCsv.Parse(Samples.DalianCommitteesCsv, "大连市", new DateOnly(2024, 1, 1), new DateOnly(2028, 12, 31), Now);

        Assert.Equal(30, committees.Count);
        var violations = new Violations();
        foreach (var committee in committees)
        {
            CommitteeRules.Validate(committee, violations);
        }
        Assert.Empty(violations.Items);
        var s01 = committees.Single(c => c.Code == "DL-S01");
        Assert.Equal("工程系列", s01.Series);
        Assert.Equal("大连市住建局", s01.Organizer);
        Assert.Contains("建筑工程", s01.Specialties);
        Assert.Equal([TitleLevel.DeputySenior], s01.Levels);
        Assert.Equal([TitleLevel.Intermediate], committees.Single(c => c.Code == "DL-M01").Levels);
    }

    [Fact]
    public void Parse_QuotedFieldWithComma_KeepsTheComma()
    {
        const string csv = "code,name,level,series,specialties,meeting,deadline,organizer\n" +
            "X-1,\"甲,乙委员会\",senior,工程系列,a;b,10月,8月,某局\n";

        var committee = Assert.Single(CommitteeCsv.Parse(csv, "r", new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), Now));

        Assert.Equal("甲,乙委员会", committee.Name);
    }

    [Theory]
    [InlineData("wrong,header\n")]
    [InlineData("code,name,level,series,specialties,meeting,deadline,organizer\nX-1,n,galactic,s,a,m,d,o\n")]
    [InlineData("code,name,level,series,specialties,meeting,deadline,organizer\nX-1,n,senior\n")]
    public void Parse_Malformed_ThrowsFormatException(string csv)
    {
        Assert.Throws<FormatException>(() => CommitteeCsv.Parse(csv, "r", new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), Now));
    }
}

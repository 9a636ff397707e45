using Credentials.Core.Identity;
using Credentials.Testing;

namespace Credentials.Core.Tests.Identity;

public class CallerIdentifiersTests
{
    private static readonly string IdNumber = Samples.ResidentId(new DateOnly(1990, 3, 7), 123);

    private static CallerIdentifiers Create(byte fill = 7) => new(new HolderDigests(Enumerable.Repeat(fill, 32).ToArray()));

    [Theory]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("credctl-3b1f0a9c2d4e5f60718293a4b5c6d7e8")]
    [InlineData("batch-2024-10-25.3")]
    [InlineData("12345678901234")] // 14 digits: fewer than any ID number has
    public void ForStorage_IdentifierWithoutALongDigitRun_IsKeptAsItIs(string id)
    {
        Assert.False(CallerIdentifiers.MayHoldIdNumber(id));
        Assert.Equal(id, Create().ForStorage(id));
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("issue-{0}-retry")]
    [InlineData("{0}.2")]
    public void ForStorage_IdentifierHoldingAnIdNumber_IsStoredOnlyAsKeyedHash(string pattern)
    {
        var id = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, IdNumber);

        var stored = Create().ForStorage(id);

        Assert.True(CallerIdentifiers.MayHoldIdNumber(id));
        Assert.StartsWith(CallerIdentifiers.HashedPrefix, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber[6..14], stored, StringComparison.Ordinal); // not even the birth date
        Assert.Matches("^hmac:[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$", stored);
    }

    [Theory]
    [InlineData("110101900307123")]        // first generation: 15 digits, no check character
    [InlineData("11010119900307123X")]     // 17 digits and the check character X
    [InlineData("6222021234567890123")]    // a bank card number
    [InlineData("１１０１０１１９９００３０７１２３")] // full-width digits are digits too
    public void MayHoldIdNumber_FifteenOrMoreDigits_IsTrue(string id)
    {
        Assert.True(CallerIdentifiers.MayHoldIdNumber(id));
    }

    [Fact]
    public void ForStorage_SameIdentifier_GivesTheSameHashUnderTheSameKeyOnly()
    {
        var identifiers = Create();

        Assert.Equal(identifiers.ForStorage(IdNumber), identifiers.ForStorage(IdNumber));
        Assert.NotEqual(identifiers.ForStorage(IdNumber), identifiers.ForStorage(IdNumber + "0"));
        Assert.NotEqual(identifiers.ForStorage(IdNumber), Create(fill: 8).ForStorage(IdNumber));
    }

    [Fact]
    public void ForStorage_OfItsOwnOutput_ChangesNothing()
    {
        // The hashed form is a valid request id with no long digit run, so the rule holds wherever it is applied again.
        var identifiers = Create();
        var stored = identifiers.ForStorage(IdNumber);

        Assert.Null(CallerIdentifiers.CheckRequestId(stored));
        Assert.Equal(stored, identifiers.ForStorage(stored));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("a", true)]
    [InlineData("A-Z_a.z:09", true)]
    [InlineData("two words", false)]
    [InlineData("职称", false)]
    [InlineData("a\uFFFDb", false)]
    public void CheckRequestId_Grammar_IsEnforced(string id, bool valid)
    {
        Assert.Equal(valid, CallerIdentifiers.CheckRequestId(id) is null);
    }

    [Fact]
    public void CheckRequestId_LongerThan64_IsRefused()
    {
        Assert.Null(CallerIdentifiers.CheckRequestId(new string('a', CallerIdentifiers.MaxLength)));
        Assert.NotNull(CallerIdentifiers.CheckRequestId(new string('a', CallerIdentifiers.MaxLength + 1)));
    }

    [Theory]
    [InlineData("row 5 #2", true)]
    [InlineData("", false)]
    [InlineData("tab\there", false)]
    [InlineData("ü", false)]
    [InlineData("\uFFFD", false)]
    public void CheckCorrelationId_PrintableAsciiOnly(string id, bool valid)
    {
        Assert.Equal(valid, CallerIdentifiers.CheckCorrelationId(id) is null);
        Assert.NotNull(CallerIdentifiers.CheckCorrelationId(new string('a', CallerIdentifiers.MaxLength + 1)));
    }
}

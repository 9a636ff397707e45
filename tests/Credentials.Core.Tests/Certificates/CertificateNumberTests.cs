using Credentials.Core.Certificates;

namespace Credentials.Core.Tests.Certificates;

public class CertificateNumberTests
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    [Fact]
    public void Format_ValidParts_ParsesBackToTheSameParts()
    {
        var number = CertificateNumber.Format("DL-S01", 2024, 123);

        var parsed = CertificateNumber.Parse(number, out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal(("DL-S01", 2024, 123), (parsed.CommitteeCode, parsed.ReviewYear, parsed.Serial));
        Assert.StartsWith("DL-S01-2024-000123", number, StringComparison.Ordinal);
        Assert.Equal(19, number.Length);
    }

    [Fact]
    public void CheckCharacter_WholeNumber_SatisfiesIso7064Mod3736()
    {
        // The defining property of MOD 37-36: running the hybrid recursion over the number
        // including its check character ends with (P + c) mod 36 == 1 for the last character.
        var number = CertificateNumber.Format("DL-M04", 2025, 98765);
        var p = 36;
        var s = 0;
        foreach (var c in number.Replace("-", "", StringComparison.Ordinal))
        {
            s = (p + Alphabet.IndexOf(c)) % 36;
            p = (s == 0 ? 36 : s) * 2 % 37;
        }
        Assert.Equal(1, s);
    }

    [Fact]
    public void Parse_AnySingleCharacterChanged_IsRejected()
    {
        var number = CertificateNumber.Format("DL-S12", 2024, 4711);
        var rejected = 0;
        var tried = 0;
        for (var i = 0; i < number.Length; i++)
        {
            if (number[i] == '-')
            {
                continue;
            }
            foreach (var c in Alphabet.Where(c => c != number[i]))
            {
                var typo = number[..i] + c + number[(i + 1)..];
                tried++;
                if (CertificateNumber.Parse(typo, out _) is null)
                {
                    rejected++;
                }
            }
        }
        Assert.Equal(tried, rejected);
    }

    [Fact]
    public void Parse_AdjacentCharactersSwapped_IsRejected()
    {
        var number = CertificateNumber.Format("DL-S07", 2024, 120_345);
        var compact = number.Replace("-", "", StringComparison.Ordinal);
        for (var i = 0; i + 1 < compact.Length; i++)
        {
            if (compact[i] == compact[i + 1])
            {
                continue;
            }
            var swapped = compact[..i] + compact[i + 1] + compact[i] + compact[(i + 2)..];
            var check = CertificateNumber.CheckCharacter(swapped.AsSpan(0, swapped.Length - 1));
            Assert.NotEqual(swapped[^1], check);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("DL-S01-2024-000123")]
    [InlineData("DL-S01-24-000123K")]
    [InlineData("DL-S01-2024-0001234")]
    [InlineData("DL_S01-2024-000123K")]
    [InlineData("DL-S01-2024-000000A")]
    public void Parse_Malformed_ReturnsError(string text)
    {
        var parsed = CertificateNumber.Parse(text, out var error);

        Assert.Null(parsed);
        Assert.NotNull(error);
    }

    [Fact]
    public void Parse_LowerCaseAndSpaces_IsNormalised()
    {
        var number = CertificateNumber.Format("DL-S01", 2024, 5);

        var parsed = CertificateNumber.Parse($"  {number.ToLowerInvariant()} ", out _);

        Assert.Equal(number, parsed?.Number);
    }
}

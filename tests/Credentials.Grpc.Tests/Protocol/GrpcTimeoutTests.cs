using Credentials.Grpc.Protocol;
using Credentials.Grpc.Tests.Support;

namespace Credentials.Grpc.Tests.Protocol;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [MemberData(nameof(TimeoutCases.EveryUnit), MemberType = typeof(TimeoutCases))]
    public void TryParse_EveryUnit_ReturnsTheTimeout(string header, TimeSpan expected)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expected, timeout);
    }

    [Fact]
    public void TryParse_LargestAndZero_Parsed()
    {
        Assert.True(GrpcTimeout.TryParse("99999999H", out var largest));
        Assert.True(GrpcTimeout.TryParse("0S", out var zero));

        Assert.Equal(TimeSpan.FromHours(99_999_999), largest);
        Assert.Equal(TimeSpan.Zero, zero);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("10x")]
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData(" 1S")]
    [InlineData("1 S")]
    [InlineData("1.5S")]
    [InlineData("123456789S")]
    public void TryParse_Malformed_False(string? header)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _));
    }

    [Theory]
    [InlineData(1, "100n")]
    [InlineData(10_000, "1000000n")]
    [InlineData(TimeSpan.TicksPerSecond, "1000000u")]
    [InlineData(TimeSpan.TicksPerHour, "3600000m")]
    [InlineData(TimeSpan.TicksPerDay * 2, "172800S")]
    public void Format_PicksTheMostPreciseUnitThatFits(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Format_ZeroOrNegative_SmallestPositiveTimeout(long ticks)
    {
        Assert.Equal("100n", GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Theory]
    [InlineData(123_456_789_123)]
    [InlineData(999_999_999_999_999)]
    [InlineData(7)]
    [InlineData(33_333_333_333)]
    public void Format_ThenTryParse_NeverShortensTheDeadline(long ticks)
    {
        var timeout = TimeSpan.FromTicks(ticks);

        Assert.True(GrpcTimeout.TryParse(GrpcTimeout.Format(timeout), out var parsed));

        Assert.InRange(parsed, timeout, timeout * 1.0001 + TimeSpan.FromTicks(1));
    }

    [Fact]
    public void Format_Maximum_FitsEightDigits()
    {
        var header = GrpcTimeout.Format(TimeSpan.MaxValue);

        Assert.True(header.Length <= 9);
        Assert.True(GrpcTimeout.TryParse(header, out _));
    }
}

namespace Credentials.Grpc.Tests.Support;

/// <summary>grpc-timeout values in each unit of PROTOCOL-HTTP2.md, with the timeout they mean.</summary>
public static class TimeoutCases
{
    public static TheoryData<string, TimeSpan> EveryUnit => new()
    {
        { "2H", TimeSpan.FromHours(2) },
        { "3M", TimeSpan.FromMinutes(3) },
        { "4S", TimeSpan.FromSeconds(4) },
        { "250m", TimeSpan.FromMilliseconds(250) },
        { "1500u", TimeSpan.FromMicroseconds(1500) },
        { "700n", TimeSpan.FromTicks(7) },
    };
}

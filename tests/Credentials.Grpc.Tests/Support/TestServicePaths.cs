namespace Credentials.Grpc.Tests.Support;

/// <summary>Paths of grpc.testing.TestService, the interop service the tests call.</summary>
public static class TestServicePaths
{
    public const string EmptyCall = "/grpc.testing.TestService/EmptyCall";
    public const string UnaryCall = "/grpc.testing.TestService/UnaryCall";
    public const string StreamingOutputCall = "/grpc.testing.TestService/StreamingOutputCall";
    public const string StreamingInputCall = "/grpc.testing.TestService/StreamingInputCall";
    public const string FullDuplexCall = "/grpc.testing.TestService/FullDuplexCall";
    public const string UnimplementedCall = "/grpc.testing.TestService/UnimplementedCall";
}

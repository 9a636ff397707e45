using Credentials.Grpc.Protocol;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Testing;

namespace Credentials.Grpc.Tests.Server;

/// <summary>How a call ends: grpc-status in trailers or Trailers-Only, messages, details, exceptions.</summary>
public sealed class GrpcServerStatusTests : IClassFixture<GrpcServerFixture>
{
    /// <summary>The special_status_message of grpc/grpc doc/interop-test-descriptions.md.</summary>
    private const string SpecialMessage = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

    private readonly GrpcTestServer _server;

    public GrpcServerStatusTests(GrpcServerFixture fixture)
    {
        _server = fixture.Server;
        _server.Probe.Reset();
    }

    [Fact]
    public async Task UnaryCall_Ok_StatusInTrailersAfterTheMessage()
    {
        var response = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, GrpcFrame.Of(new SimpleRequest { ResponseSize = 10 }));

        Assert.Equal("0", response.Trailer(GrpcProtocol.StatusHeader));
        Assert.Null(response.Header(GrpcProtocol.StatusHeader));
        Assert.Equal(GrpcProtocol.ContentType, response.Header("content-type"));
        Assert.Single(response.Frames());
    }

    [Fact]
    public async Task ServerStreamingCall_ErrorAfterMessages_StatusInTrailers()
    {
        var request = new StreamingOutputCallRequest { ResponseStatus = new EchoStatus { Code = (int)StatusCode.Aborted, Message = "late" } };
        request.ResponseParameters.Add(new ResponseParameters { Size = 5 });

        var response = await _server.Raw.SendAsync(TestServicePaths.StreamingOutputCall, GrpcFrame.Of(request));

        Assert.Single(response.Frames());
        Assert.Equal(((int)StatusCode.Aborted).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Trailer(GrpcProtocol.StatusHeader));
        Assert.Equal("late", response.GrpcMessage);
        Assert.Null(response.Header(GrpcProtocol.StatusHeader));
    }

    [Fact]
    public async Task UnaryCall_ErrorBeforeAnyMessage_TrailersOnly()
    {
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = (int)StatusCode.NotFound, Message = "nothing here" } };

        var response = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, GrpcFrame.Of(request));

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal(StatusCode.NotFound, response.GrpcStatus);
        Assert.Equal("nothing here", response.GrpcMessage);
        Assert.Equal(GrpcProtocol.ContentType, response.Header("content-type"));
    }

    [Fact]
    public async Task UnaryCall_SpecialStatusMessage_RoundTripsThroughTheClient()
    {
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = (int)StatusCode.Unknown, Message = SpecialMessage } };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, request).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal(SpecialMessage, error.Status.Detail);
    }

    [Fact]
    public async Task UnaryCall_SpecialStatusMessage_IsPercentEncodedOnTheWire()
    {
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = (int)StatusCode.Unknown, Message = SpecialMessage + "100%" } };

        var response = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, GrpcFrame.Of(request));

        Assert.Equal(
            "%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A100%25",
            response.Header(GrpcProtocol.MessageHeader));
    }

    [Fact]
    public async Task Handler_UnexpectedException_UnknownWithoutItsText()
    {
        _server.Probe.OnUnary = (_, _) => throw new InvalidOperationException("secret-7f3a connection string Password=hunter2");

        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(new StringValue()));

        Assert.Equal(StatusCode.Unknown, response.GrpcStatus);
        Assert.DoesNotContain("secret-7f3a", response.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", response.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), response.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_RpcExceptionWithDetails_DetailsAgreeWithStatus()
    {
        _server.Probe.OnUnary = (_, _) => throw RpcException.WithDetails(StatusCode.InvalidArgument, "bad name ☺",
            new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "holder_name", Description = "empty" } } },
            new ErrorInfo { Reason = "NAME_EMPTY", Domain = "credentials.example" });

        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(new StringValue()));

        Assert.Equal(StatusCode.InvalidArgument, response.GrpcStatus);
        Assert.Equal("bad name ☺", response.GrpcMessage);
        var encoded = response.Header(GrpcProtocol.StatusDetailsHeader);
        Assert.NotNull(encoded);
        Assert.DoesNotContain('=', encoded);
        var details = Google.Rpc.Status.Parser.ParseFrom(MetadataEncoding.FromBase64(encoded));
        Assert.Equal((int)response.GrpcStatus!, details.Code);
        Assert.Equal(response.GrpcMessage, details.Message);
        Assert.Equal("holder_name", details.Details[0].Unpack<BadRequest>().FieldViolations[0].Field);
        Assert.Equal("NAME_EMPTY", details.Details[1].Unpack<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task Handler_RpcExceptionWithDetails_ClientParsesThem()
    {
        _server.Probe.OnUnary = (_, _) => throw RpcException.WithDetails(StatusCode.FailedPrecondition, "suspended",
            new ErrorInfo { Reason = "COMMITTEE_SUSPENDED", Metadata = { ["committee"] = "DL-01" } });

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.UnaryCall<StringValue, StringValue>(ProbeService.PathOf("Unary"), new StringValue()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("suspended", error.Status.Detail);
        Assert.Equal((int)StatusCode.FailedPrecondition, error.Details?.Code);
        Assert.Equal("COMMITTEE_SUSPENDED", error.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal("DL-01", error.GetDetail<ErrorInfo>()?.Metadata["committee"]);
        Assert.Null(error.GetDetail<BadRequest>());
    }

    [Fact]
    public async Task Handler_SetsStatusAndReturns_ClientGetsThatStatusAndTrailers()
    {
        _server.Probe.OnServerStreaming = async (request, responses, context) =>
        {
            await responses.WriteAsync(request);
            context.ResponseTrailers.Add("x-rows", "1");
            context.Status = new Status(StatusCode.OutOfRange, "past the end");
        };

        using var call = _server.Channel.ServerStreamingCall<StringValue, StringValue>(ProbeService.PathOf("ServerStreaming"), new StringValue { Value = "a" });

        Assert.True(await call.ResponseStream.MoveNext());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        Assert.Equal("1", call.GetTrailers().GetValue("x-rows"));
    }
}

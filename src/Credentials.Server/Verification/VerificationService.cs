using System.Diagnostics;
using System.Globalization;
using Credentials.Core.Certificates;
using Credentials.Core.Identity;
using Credentials.Core.Validation;
using Credentials.Server.Common;
using Credentials.Server.Errors;
using Credentials.Server.Keys;
using Credentials.Server.Security;
using Credentials.Server.Telemetry;
using Credentials.Store;
using Credentials.Store.Verification;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using StatusCode = Grpc.Core.StatusCode;

namespace Credentials.Server.Verification;

/// <summary>
/// credentials.v1.VerificationService (电子职称证书核验): employers and anyone else check a
/// certificate by number and name or by its signed envelope; offline verifiers fetch the keys;
/// the authority and the platform read the access log (查询记录). Every answered verification
/// is recorded; anonymous and employer callers are rate limited.
/// </summary>
public sealed partial class VerificationService(
    CallerIdentifiers identifiers,
    CertificateVerifier certificates,
    EnvelopeChecker envelopes,
    KeyRing keys,
    VerificationLog log,
    VerificationRateLimiter limiter,
    Database database,
    TimeProvider time,
    ServerMetrics metrics,
    ILogger<VerificationService> logger) : V1.VerificationService.VerificationServiceBase
{
    /// <summary>Verifications of one VerifyStream call in flight at once (read and not yet answered).</summary>
    public const int MaxInFlight = 64;

    [AllowAnonymous]
    public override async Task<VerifyCertificateResponse> VerifyCertificate(VerifyCertificateRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        limiter.Acquire(context);
        var (number, response) = certificates.Verify(request);
        await RecordAsync(VerificationCaller.Of(context), VerificationMethod.Number, number, (int)response.Result, started, context.CancellationToken);
        return response;
    }

    [AllowAnonymous]
    public override async Task<VerifyEnvelopeResponse> VerifyEnvelope(VerifyEnvelopeRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        limiter.Acquire(context);
        var (number, response) = envelopes.Verify(request);
        await RecordAsync(VerificationCaller.Of(context), VerificationMethod.Envelope, number, (int)response.Verdict, started, context.CancellationToken);
        return response;
    }

    [Authorize(Policy = Policies.Verifiers)]
    public override Task VerifyStream(IAsyncStreamReader<VerifyStreamRequest> requests, IServerStreamWriter<VerifyStreamResponse> responses, ServerCallContext context) =>
        BoundedPump.RunAsync(requests, responses, request => VerifyItemAsync(request, context), MaxInFlight, context.CancellationToken);

    [AllowAnonymous]
    public override Task<ListSigningKeysResponse> ListSigningKeys(ListSigningKeysRequest request, ServerCallContext context)
    {
        var response = new ListSigningKeysResponse();
        response.Keys.AddRange(keys.Records.Select(KeyManagement.ToProto));
        return Task.FromResult(response);
    }

    [Authorize(Policy = Policies.Oversight)]
    public override Task<ListVerificationsResponse> ListVerifications(ListVerificationsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var pageSize = Paging.PageSize(request.PageSize, violations);
        var number = "";
        if (request.CertificateNumber.Length > 0)
        {
            number = CertificateNumber.Parse(request.CertificateNumber, out var error)?.Number ?? "";
            violations.AddIf("certificate_number", error);
        }
        var principal = Text.Normalize(request.Principal);
        violations.AddIf("principal", Text.Check(principal, 0, 100));
        var filters = $"{number}|{principal}";
        var beforeId = Paging.BeforeId(request.PageToken, filters, violations);
        violations.ThrowIfAny();

        using var connection = database.OpenReader();
        var page = VerificationLogRepository.List(connection, beforeId, pageSize + 1, number, principal);
        var response = new ListVerificationsResponse();
        response.Records.AddRange(page.Take(pageSize).Select(ToProto));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture), filters);
        }
        return Task.FromResult(response);
    }

    /// <summary>One item of a stream: the answer the unary method would give, or its error; never throws, so the stream goes on.</summary>
    private async Task<VerifyStreamResponse> VerifyItemAsync(VerifyStreamRequest request, ServerCallContext context)
    {
        var correlationId = request.CorrelationId;
        if (CallerIdentifiers.CheckCorrelationId(correlationId) is { } problem)
        {
            return new VerifyStreamResponse { Error = ToError(new InvalidRequestException("correlation_id", problem)) };
        }
        var response = new VerifyStreamResponse { CorrelationId = correlationId };
        var started = Stopwatch.GetTimestamp();
        try
        {
            limiter.Acquire(context);
            // Echoed as sent, to the caller who sent it; logged only in the form that holds no ID number.
            var caller = VerificationCaller.Of(context, identifiers.ForStorage(correlationId));
            switch (request.RequestCase)
            {
                case VerifyStreamRequest.RequestOneofCase.Certificate:
                    var (number, certificate) = certificates.Verify(request.Certificate);
                    await RecordAsync(caller, VerificationMethod.Number, number, (int)certificate.Result, started, context.CancellationToken);
                    response.Certificate = certificate;
                    break;
                case VerifyStreamRequest.RequestOneofCase.Envelope:
                    var (named, envelope) = envelopes.Verify(request.Envelope);
                    await RecordAsync(caller, VerificationMethod.Envelope, named, (int)envelope.Verdict, started, context.CancellationToken);
                    response.Envelope = envelope;
                    break;
                default:
                    throw new InvalidRequestException("request", "one of certificate or envelope is required");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            response.Error = ToError(e);
        }
        return response;
    }

    private VerificationError ToError(Exception exception)
    {
        var rpc = exception as RpcException ?? DomainErrors.Map(exception);
        if (rpc is null)
        {
            LogStreamItemFailed(logger, exception);
            return new VerificationError { Code = (int)StatusCode.Internal, Message = "internal error" };
        }
        var error = new VerificationError { Code = (int)rpc.StatusCode, Message = rpc.Status.Detail };
        if (rpc.GetRpcStatus()?.GetDetail<BadRequest>() is { } badRequest)
        {
            error.Fields.AddRange(badRequest.FieldViolations.Select(v => v.Field));
        }
        return error;
    }

    /// <summary>An answered verification: into the access log and the metrics.</summary>
    private ValueTask RecordAsync(VerificationCaller caller, VerificationMethod method, string number, int result, long started, CancellationToken cancellationToken)
    {
        metrics.Verified(method, result, started);
        return log.RecordAsync(new VerificationLogEntry(time.GetUtcNow(), caller.Principal, caller.Role, caller.ClientAddress, caller.RequestId,
            (int)method, number, result), cancellationToken);
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Error, Message = "A stream verification failed")]
    private static partial void LogStreamItemFailed(ILogger logger, Exception exception);

    private static VerificationRecord ToProto(StoredVerification stored)
    {
        var entry = stored.Entry;
        var method = (VerificationMethod)entry.Method;
        return new VerificationRecord
        {
            Id = stored.Id,
            Time = Timestamp.FromDateTimeOffset(entry.At),
            Principal = entry.Principal,
            Role = entry.Role,
            ClientAddress = entry.ClientAddress,
            RequestId = entry.RequestId,
            Method = method,
            CertificateNumber = entry.CertificateNumber,
            Result = method == VerificationMethod.Number ? (VerificationResult)entry.Result : VerificationResult.Unspecified,
            EnvelopeVerdict = method == VerificationMethod.Envelope ? (EnvelopeVerdict)entry.Result : EnvelopeVerdict.Unspecified,
        };
    }
}

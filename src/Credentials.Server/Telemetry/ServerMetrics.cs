using System.Diagnostics;
using System.Diagnostics.Metrics;
using Credentials.Core.Validation;
using Credentials.Server.Diagnostics;
using Credentials.Server.Errors;
using Credentials.Store;
using Credentials.V1;
using Grpc.Core;

namespace Credentials.Server.Telemetry;

/// <summary>
/// The server's instruments (meter <see cref="MeterName"/>, from the host's <see cref="IMeterFactory"/>).
/// Tags hold only values from small fixed sets (method names, status and outcome names, roles):
/// never a name, a document number, a certificate number, a token or an address, so nothing
/// personal reaches a metrics backend and no caller can grow the series without bound.
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "Credentials.Server";

    /// <summary>Bucket bounds of the latency histograms, in seconds: 50 µs to 10 s.</summary>
    internal static readonly IReadOnlyList<double> LatencyBuckets =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _issuance;
    private readonly Counter<long> _issued;
    private readonly Histogram<double> _verification;
    private readonly Counter<long> _rateLimited;

    public ServerMetrics(IMeterFactory meters, CallStatistics calls)
    {
        var meter = meters.Create(MeterName);
        var latency = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        // Read from the counts GetCallStatistics answers with: a call costs the metric nothing more.
        meter.CreateObservableCounter("credentials.rpc.server.calls", () => Calls(calls), "{call}",
            "Calls to the served gRPC methods by method and final status, refusals before the service included.");
        _issuance = meter.CreateHistogram("credentials.issuance.duration", "s",
            "IssueCertificate and BatchIssueCertificates calls by outcome: issued, or the reason they were refused.", advice: latency);
        _issued = meter.CreateCounter<long>("credentials.certificates.issued", "{certificate}",
            "Certificates in successful issuance answers (a batch counts each; a retry answered from the idempotency record counts again).");
        _verification = meter.CreateHistogram("credentials.verification.duration", "s",
            "Answered verifications (unary and stream items) by method and result.", advice: latency);
        _rateLimited = meter.CreateCounter<long>("credentials.rate_limit.refusals", "{call}",
            "Verifications refused with RESOURCE_EXHAUSTED because the caller's rate limit was used up, by role.");
    }

    private static IEnumerable<Measurement<long>> Calls(CallStatistics calls) =>
        calls.Snapshot().Select(c => new Measurement<long>(c.Count,
            new KeyValuePair<string, object?>("rpc.method", c.Method.TrimStart('/')),
            new KeyValuePair<string, object?>("rpc.response.status_code", StatusNames.Of(c.Status))));

    public void Issued(int certificates, long startedTimestamp)
    {
        _issued.Add(certificates);
        _issuance.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("credentials.outcome", "issued"));
    }

    public void IssuanceRefused(Exception error, long startedTimestamp) =>
        _issuance.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("credentials.outcome", Outcome(error)));

    /// <param name="method">By number and name, or by envelope.</param>
    /// <param name="result">The answer: a <see cref="VerificationResult"/> or an <see cref="EnvelopeVerdict"/>, by method.</param>
    public void Verified(VerificationMethod method, int result, long startedTimestamp)
    {
        if (_verification.Enabled)
        {
            var (name, results) = method == VerificationMethod.Number ? ("number", NumberResults) : ("envelope", EnvelopeVerdicts);
            _verification.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
                new KeyValuePair<string, object?>("credentials.verification.method", name),
                new KeyValuePair<string, object?>("credentials.outcome", (uint)result < (uint)results.Length ? results[result] : "UNSPECIFIED"));
        }
    }

    /// <summary>VALID, REVOKED, ...: the contract's value names without the enum's prefix, by number.</summary>
    private static readonly string[] NumberResults = ValueNames(VerificationReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("VerificationResult"), "VERIFICATION_RESULT_");
    private static readonly string[] EnvelopeVerdicts = ValueNames(VerificationReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("EnvelopeVerdict"), "ENVELOPE_VERDICT_");

    private static string[] ValueNames(Google.Protobuf.Reflection.EnumDescriptor descriptor, string prefix)
    {
        var names = new string[descriptor.Values.Max(v => v.Number) + 1];
        Array.Fill(names, "UNSPECIFIED");
        foreach (var value in descriptor.Values)
        {
            names[value.Number] = value.Name.StartsWith(prefix, StringComparison.Ordinal) ? value.Name[prefix.Length..] : value.Name;
        }
        return names;
    }

    /// <param name="role">"anonymous", "employer" or "committee".</param>
    public void RateLimited(string role) => _rateLimited.Add(1, new KeyValuePair<string, object?>("credentials.caller.role", role));

    /// <summary>The reason code of a refusal (UPPER_SNAKE, from the code, never from the request), or its status name.</summary>
    private static string Outcome(Exception error) => error switch
    {
        RuleViolationException e => e.Reason,
        AlreadyExistsException e => e.Reason,
        InvalidRequestException => StatusNames.Of(StatusCode.InvalidArgument),
        NotFoundException => StatusNames.Of(StatusCode.NotFound),
        StoreUnavailableException => "STORE_UNAVAILABLE",
        RpcException e => StatusNames.Of(e.StatusCode),
        OperationCanceledException => StatusNames.Of(StatusCode.Cancelled),
        _ => StatusNames.Of(StatusCode.Unknown),
    };
}

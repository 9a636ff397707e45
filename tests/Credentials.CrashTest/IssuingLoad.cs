using System.Collections.Concurrent;
using Credentials.Core.Time;
using Credentials.Testing;
using Credentials.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Credentials.CrashTest;

/// <summary>
/// Several clients, each on its own connection, issuing as fast as they can: mostly unary
/// IssueCertificate, some batches of 2 to 25. Every certificate in an OK response is recorded as
/// acknowledged with its QR text; a call cut by the kill acknowledges nothing.
/// </summary>
internal sealed class IssuingLoad(string token)
{
    private long _person;
    private long _request;

    public sealed record Statistics(long Unary, long Batches, long Failed);

    public async Task<Statistics> RunUntilKilledAsync(string address, int clients, TimeSpan killAfter,
        ConcurrentDictionary<string, string> acknowledged, Action kill)
    {
        long unary = 0, batches = 0, failed = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            using var channel = GrpcChannel.ForAddress(address);
            var certificates = new CertificateService.CertificateServiceClient(channel);
            var headers = new Metadata { { "authorization", "Bearer " + token } };
            var random = new Random(client);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (random.Next(10) < 7)
                    {
                        var response = await certificates.IssueCertificateAsync(
                            new IssueCertificateRequest { RequestId = NextRequestId(), CommitteeCode = "DL-S01", Spec = NextSpec() }, headers);
                        acknowledged[response.Certificate.Number] = response.Certificate.QrText;
                        Interlocked.Increment(ref unary);
                    }
                    else
                    {
                        var request = new BatchIssueCertificatesRequest { RequestId = NextRequestId(), CommitteeCode = "DL-S01" };
                        for (var i = random.Next(2, 26); i > 0; i--)
                        {
                            request.Items.Add(NextSpec());
                        }
                        var response = await certificates.BatchIssueCertificatesAsync(request, headers);
                        foreach (var certificate in response.Certificates)
                        {
                            acknowledged[certificate.Number] = certificate.QrText;
                        }
                        Interlocked.Increment(ref batches);
                    }
                }
                catch (RpcException) when (stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                }
                catch (RpcException e)
                {
                    // Cut by the kill before the stop flag was seen: this call acknowledged nothing.
                    Interlocked.Increment(ref failed);
                    if (Volatile.Read(ref _killed))
                    {
                        return;
                    }
                    Errors.Add($"{e.StatusCode} before the kill: {e.Status.Detail}");
                }
            }
        })).ToList();
        // At least the planned time, and at least a few acknowledged calls (a slow machine may need
        // longer to warm up), but never more than a minute.
        var started = acknowledged.Count;
        await Task.Delay(killAfter);
        for (var waited = 0; waited < 600 && acknowledged.Count - started < MinimumAcknowledged; waited++)
        {
            await Task.Delay(100);
        }
        Volatile.Write(ref _killed, true);
        kill();
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Volatile.Write(ref _killed, false);
        return new Statistics(unary, batches, failed);
    }

    private const int MinimumAcknowledged = 50;

    private bool _killed;

    /// <summary>Calls refused while the server was up: each is a failure of the test.</summary>
    public ConcurrentBag<string> Errors { get; } = [];

    private string NextRequestId() => $"crash-{Interlocked.Increment(ref _request)}";

    /// <summary>A certificate for a holder never used before (the duplicate-level rule would refuse a repeat).</summary>
    private CertificateSpec NextSpec()
    {
        var person = Interlocked.Increment(ref _person);
        var number = Samples.ResidentId(new DateOnly(1960, 1, 1).AddDays((int)(person % 10000)), (int)(person / 10000 % 1000));
        return new CertificateSpec
        {
            Holder = new Holder { Name = "张伟", DocumentType = DocumentType.ResidentIdCard, DocumentNumber = number },
            Series = "工程系列",
            Specialty = "建筑工程",
            Level = TitleLevel.DeputySenior,
            TitleName = "高级工程师",
            ReviewMeetingDate = Dates.ToProto(new DateOnly(2024, 10, 25)),
            ReviewYear = 2024,
            QualificationDate = Dates.ToProto(new DateOnly(2024, 12, 1)),
            ApprovalDocument = "大人社发〔2024〕15号",
        };
    }
}

using System.Diagnostics;
using Credentials.Server.Telemetry;
using Credentials.Server.Tests.Integrity;
using Credentials.Server.Tests.Telemetry;
using Credentials.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Security;

/// <summary>
/// A full run, successes and refusals, with logging at Trace, every span recorded and the metrics
/// scraped: no ID number it used, no holder's name and no token may appear anywhere in what the
/// server logged, traced or counted.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class PersonalDataInLogsTests : SeededServerTest
{
    private readonly SpanCollection _spans = new();

    protected override Task<TestServer> StartServerAsync() =>
        TestServer.StartWithAsync(builder => builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(_spans)),
            "--Telemetry:Prometheus:Url=http://127.0.0.1:0");

    [Fact]
    public async Task FullRun_LogsTracesAndMetrics_ContainNoIdNumberNoNameAndNoToken()
    {
        var employer = await Server.AddPrincipalAsync("hr-office", Core.Principals.Role.Employer);
        var used = Enumerable.Range(1, 6).Select(IdNumber).ToList();

        var certificates = new List<Certificate>();
        for (var person = 1; person <= 4; person++)
        {
            certificates.Add(await Server.IssueAsync(person, Committee));
        }
        // Refusals of every kind, each carrying an ID number.
        var duplicate = Issue("dup", person: 1);
        await Assert.ThrowsAsync<RpcException>(() => Server.Certificates(Committee).IssueCertificateAsync(duplicate).ResponseAsync);
        var mistyped = Issue("typo", person: 5);
        var number = mistyped.Spec.Holder.DocumentNumber;
        mistyped.Spec.Holder.DocumentNumber = number[..17] + (number[17] == '0' ? '1' : '0');
        used.Add(mistyped.Spec.Holder.DocumentNumber);
        await Assert.ThrowsAsync<RpcException>(() => Server.Certificates(Committee).IssueCertificateAsync(mistyped).ResponseAsync);
        var batch = new BatchIssueCertificatesRequest { RequestId = "b", CommitteeCode = "DL-S01", Items = { Spec(5), Spec(6, specialty: "核电运行") } };
        await Assert.ThrowsAsync<RpcException>(() => Server.Certificates(Committee).BatchIssueCertificatesAsync(batch).ResponseAsync);
        // The integrity record: fraud revoking a certificate, a status query, a rescission.
        var record = await Server.RecordAsync(IntegrityFixtures.Record(2, certificates: certificates[1].Number));
        await Server.StatusAsync(2, employer);
        await Server.StatusAsync(6, employer);
        await Server.RescindAsync(record.Id);
        await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(IntegrityFixtures.Record(3, certificates: certificates[0].Number), Committee));

        var verify = new VerifyCertificateRequest { Number = certificates[0].Number, HolderName = certificates[0].Spec.Holder.Name, DocumentType = DocumentType.ResidentIdCard, DocumentNumber = used[0] };
        await Server.Verification(employer).VerifyCertificateAsync(verify);
        await Server.Verification().VerifyCertificateAsync(new VerifyCertificateRequest { Number = certificates[1].Number, HolderName = "王芳" });
        await _spans.WaitForAsync(s => s.GetTagItem("rpc.method") as string == "credentials.v1.VerificationService/VerifyCertificate");
        var names = certificates.Select(c => c.Spec.Holder.Name).Append("王芳").Distinct().ToList();
        var tokens = new[] { Server.AuthorityToken, Committee, employer };

        var logs = Server.Logs.AllText;
        var traces = string.Join('\n', _spans.Snapshot().Select(Describe));
        var metrics = (await PrometheusScrape.GetAsync(Server.Services.GetRequiredService<PrometheusEndpoint>().Address!)).Text;

        // The captures see the requests themselves (ASP.NET Core logs each at Information, each has a span and counts)...
        Assert.Contains("/credentials.v1.CertificateService/IssueCertificate", logs, StringComparison.Ordinal);
        Assert.Contains("credentials.v1.CertificateService/IssueCertificate", traces, StringComparison.Ordinal);
        Assert.Contains("credentials.v1.CertificateService/IssueCertificate", metrics, StringComparison.Ordinal);
        // ...but none of the personal data they carried.
        foreach (var (what, text) in new[] { ("logs", logs), ("traces", traces), ("metrics", metrics) })
        {
            Assert.All(used, id => Assert.False(text.Contains(id, StringComparison.OrdinalIgnoreCase), $"an ID number in the {what}"));
            Assert.All(names, name => Assert.False(text.Contains(name, StringComparison.Ordinal), $"a holder's name in the {what}"));
            Assert.All(tokens, token => Assert.False(text.Contains(token, StringComparison.Ordinal), $"a token in the {what}"));
        }
    }

    /// <summary>Everything a span exports: names, tags, status, events with their tags, links and baggage.</summary>
    private static string Describe(Activity span) => string.Join(" | ",
        new[] { span.Source.Name, span.OperationName, span.DisplayName, span.StatusDescription ?? "" }
            .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}").Append(e.Name)))
            .Concat(span.Links.SelectMany(l => l.Tags?.Select(t => $"{t.Key}={t.Value}") ?? []))
            .Concat(span.Baggage.Select(b => $"{b.Key}={b.Value}")));
}

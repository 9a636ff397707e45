using System.Diagnostics;
using Credentials.Server.Telemetry;
using Credentials.Server.Tests.Holders;
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
        // The integrity record: fraud revoking a certificate, status queries (one refused to an employer), a rescission.
        var record = await Server.RecordAsync(IntegrityFixtures.Record(2, certificates: certificates[1].Number));
        await Server.StatusAsync(2, Committee);
        await Assert.ThrowsAsync<RpcException>(() => Server.StatusAsync(6, employer));
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

    [Fact]
    public async Task HolderRun_TheIdNumberOfTheirTokens_IsInNoLogTraceMetricOrTable()
    {
        var employer = await Server.AddPrincipalAsync("hr-office", Core.Principals.Role.Employer);
        var holder = IdNumber(7);
        var mistyped = holder[..17] + (holder[17] == '0' ? '1' : '0');
        var certificate = await Server.IssueAsync(7, Committee);
        await Server.RecordAsync(IntegrityFixtures.Record(7, type: MisconductType.Other));
        var now = Server.Time.GetUtcNow();
        var token = TestHolders.Token(now, holder);
        var refused = new[]
        {
            TestHolders.Token(now.AddHours(-3), holder),
            TestHolders.Token(now, holder, audience: "another-service"),
            TestHolders.Token(now, holder, key: TestHolders.NewKey("stolen")),
            TestHolders.Token(now, mistyped),
            TestHolders.Token(now, holder, issuer: "https://login.elsewhere.example"),
        };

        // Everything a holder does, and everything a verifier does with what the holder shared.
        var holders = Server.Holders(token);
        await holders.GetMeAsync(new GetMeRequest());
        await holders.ListMyCertificatesAsync(new ListMyCertificatesRequest());
        await holders.GetMyCertificateAsync(new GetMyCertificateRequest { Number = certificate.Number });
        var shared = await Server.ShareAsync(token, certificate.Number, includeIntegrity: true);
        await holders.ListShareCodesAsync(new ListShareCodesRequest());
        await Server.VerifyCodeAsync(shared.Code);
        await Server.VerifyCodeAsync(shared.Code, employer);
        await holders.ListMyLookupsAsync(new ListMyLookupsRequest());
        await holders.GetMyIntegrityRecordAsync(new GetMyIntegrityRecordRequest());
        await Server.RevokeCodeAsync(token, shared.ShareCode.Id);
        await Assert.ThrowsAsync<RpcException>(() => holders.GetMyCertificateAsync(
            new GetMyCertificateRequest { Number = Verification.VerificationFixtures.UnknownNumber }).ResponseAsync);
        foreach (var bad in refused)
        {
            await Assert.ThrowsAsync<RpcException>(() => Server.Holders(bad).GetMeAsync(new GetMeRequest()).ResponseAsync);
        }
        await Verification.VerificationFixtures.FlushAccessLogAsync(Server);
        await _spans.WaitForAsync(s => s.GetTagItem("rpc.method") as string == "credentials.v1.HolderService/GetMe");

        var logs = Server.Logs.AllText;
        var traces = string.Join('\n', _spans.Snapshot().Select(Describe));
        var metrics = (await PrometheusScrape.GetAsync(Server.Services.GetRequiredService<PrometheusEndpoint>().Address!)).Text;
        var tables = DatabaseFiles.Text(Server);

        Assert.Contains("/credentials.v1.HolderService/GetMe", logs, StringComparison.Ordinal);
        Assert.Contains("holder", tables, StringComparison.Ordinal);
        var secrets = new[] { holder, mistyped, token, shared.Code, shared.Code.Replace("-", "", StringComparison.Ordinal) }.Concat(refused).ToList();
        foreach (var (what, text) in new[] { ("logs", logs), ("traces", traces), ("metrics", metrics), ("tables", tables) })
        {
            Assert.All(secrets, secret => Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"an ID number, token or code in the {what}"));
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

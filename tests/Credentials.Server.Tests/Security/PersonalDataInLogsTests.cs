using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Security;

/// <summary>
/// A full run, successes and refusals, with logging at Trace: no ID number it used, and no
/// token, may appear anywhere in what the server logged.
/// </summary>
public sealed class PersonalDataInLogsTests : SeededServerTest
{
    [Fact]
    public async Task FullRun_Logs_ContainNoIdNumberAndNoToken()
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

        var logs = Server.Logs.AllText;
        // The capture sees the requests themselves (ASP.NET Core logs each at Information)...
        Assert.Contains("/credentials.v1.CertificateService/IssueCertificate", logs, StringComparison.Ordinal);
        // ...but none of the personal data they carried.
        Assert.All(used, id => Assert.DoesNotContain(id, logs, StringComparison.OrdinalIgnoreCase));
        Assert.All(new[] { Server.AuthorityToken, Committee, employer }, token => Assert.DoesNotContain(token, logs, StringComparison.Ordinal));
    }
}

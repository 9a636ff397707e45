using Credentials.Core.Time;
using Credentials.V1;
using Google.Rpc;
using Grpc.Core;

namespace Credentials.Server.Tests.Committees;

/// <summary>The cap on a filing's validity is the policy profile's setting, held at creation and renewal.</summary>
public sealed class AccreditationLimitTests
{
    private static V1.Committee NewCommittee(string until) => new()
    {
        Code = "SX-S01", Name = "山西省工程系列高级职称评审委员会", Organizer = "山西省人社厅", Region = "山西省", Series = "工程系列",
        Specialties = { "建筑工程" }, Levels = { TitleLevel.DeputySenior },
        AccreditedFrom = Dates.ToProto(new DateOnly(2024, 1, 1)), AccreditedUntil = Dates.ToProto(DateOnly.Parse(until)),
    };

    [Fact]
    public async Task CreateCommittee_BeyondThreeYears_IsFailedPrecondition()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Committees(server.AuthorityToken)
            .CreateCommitteeAsync(new CreateCommitteeRequest { RequestId = "c1", Committee = NewCommittee("2027-01-01") }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("ACCREDITATION_TOO_LONG", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task Limit_IsAPolicySetting()
    {
        await using var server = await TestServer.StartAsync(null, "--Policy:AccreditationMaxYears=2");
        var committees = server.Committees(server.AuthorityToken);

        var tooLong = await Assert.ThrowsAsync<RpcException>(() => committees
            .CreateCommitteeAsync(new CreateCommitteeRequest { RequestId = "c1", Committee = NewCommittee("2026-12-31") }).ResponseAsync);
        var created = await committees.CreateCommitteeAsync(new CreateCommitteeRequest { RequestId = "c2", Committee = NewCommittee("2025-12-31") });
        var renewal = await Assert.ThrowsAsync<RpcException>(() => committees.RenewCommitteeAccreditationAsync(
            AccreditationRenewalTests.Renewal("2028-12-31", code: "SX-S01")).ResponseAsync);

        Assert.Equal("ACCREDITATION_TOO_LONG", tooLong.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal("2025-12-31", tooLong.GetDetail<ErrorInfo>()!.Metadata["latest_valid_until"]);
        Assert.Equal(AccreditationStatus.Valid, created.Committee.AccreditationStatus);
        Assert.Equal("ACCREDITATION_TOO_LONG", renewal.GetDetail<ErrorInfo>()?.Reason);
    }
}

using Credentials.V1;

namespace Credentials.Server.Tests.Holders;

/// <summary>Calls the holder tests share.</summary>
public static class HolderFixtures
{
    public static Task<CreateShareCodeResponse> ShareAsync(this TestServer server, string holderToken, string number, int days = 30,
        string purpose = "应聘 XX 公司", bool includeIntegrity = false) =>
        server.Holders(holderToken).CreateShareCodeAsync(new CreateShareCodeRequest
        {
            CertificateNumber = number, ValidityDays = days, Purpose = purpose, IncludeIntegrity = includeIntegrity,
        }).ResponseAsync;

    public static Task<VerifyShareCodeResponse> VerifyCodeAsync(this TestServer server, string code, string? token = null) =>
        server.Verification(token).VerifyShareCodeAsync(new VerifyShareCodeRequest { Code = code }).ResponseAsync;

    public static Task<RevokeShareCodeResponse> RevokeCodeAsync(this TestServer server, string holderToken, long id) =>
        server.Holders(holderToken).RevokeShareCodeAsync(new RevokeShareCodeRequest { Id = id }).ResponseAsync;
}

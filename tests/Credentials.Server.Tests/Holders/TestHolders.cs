using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Credentials.Server.Tests.Holders;

/// <summary>
/// The identity provider of the tests: a P-256 key made in the test run, published to every test server as a JWKS
/// file, and holder tokens signed with it (or, to be refused, with something else wrong).
/// </summary>
public static class TestHolders
{
    public const string Issuer = "https://login.test.example.gov.cn";
    public const string Audience = "credentials-test";
    public const string DocumentClaim = "id_number";

    /// <summary>The provider's signing key.</summary>
    public static ECDsaSecurityKey Key { get; } = NewKey("test-provider-1");

    public static ECDsaSecurityKey NewKey(string keyId) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = keyId };

    /// <summary>The server settings that trust the provider: its issuer, audience, and its public key in a JWKS file (one per test run).</summary>
    public static string[] ServerSettings { get; } = ["--Holders:Issuer=" + Issuer, "--Holders:Audience=" + Audience, "--Holders:JwksPath=" + WriteJwks()];

    private static string WriteJwks()
    {
        var directory = Path.Combine(Path.GetTempPath(), "credentials-tests");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"holder-provider-{Environment.ProcessId}.jwks.json");
        var parameters = Key.ECDsa.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, string>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["use"] = "sig",
            ["alg"] = "ES256",
            ["kid"] = Key.KeyId,
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(new { keys = new[] { jwk } }));
        return path;
    }

    /// <summary>
    /// A holder token valid from the server's now for <paramref name="lifetime"/> (one hour), carrying
    /// <paramref name="idNumber"/> in the ID claim (none when null), signed by the provider's key unless another is given.
    /// </summary>
    public static string Token(DateTimeOffset now, string? idNumber, string name = "张伟", TimeSpan? lifetime = null, string issuer = Issuer,
        string audience = Audience, SecurityKey? key = null, DateTimeOffset? notBefore = null)
    {
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, "user-" + Guid.NewGuid().ToString("N")), new("name", name) };
        if (idNumber is not null)
        {
            claims.Add(new Claim(DocumentClaim, idNumber));
        }
        var from = notBefore ?? now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = from.UtcDateTime,
            NotBefore = from.UtcDateTime,
            Expires = (from + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>A valid token of the holder of <paramref name="idNumber"/> on <paramref name="server"/>'s clock.</summary>
    public static string HolderToken(this TestServer server, string idNumber, string name = "张伟") => Token(server.Time.GetUtcNow(), idNumber, name);
}

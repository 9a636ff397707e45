using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Credentials.Core.Holders;
using Credentials.Store;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Credentials.Server.Holders;

/// <summary>
/// Holder tokens made on the server's own machine (<c>credentials-server holders token</c>), for a single machine
/// and for trying the holder's side without an identity provider: ES256 JWTs of <see cref="Issuer"/>, signed with
/// a P-256 key kept in data/secrets/holder-tokens.pem (created on first use, owner-only). The server accepts
/// them only with Holders:TrustLocalTokens=true: whoever can run the command can act as any holder.
/// </summary>
public sealed class LocalHolderTokens(DataDirectory directory)
{
    public const string Issuer = "urn:credentials:local-holder-tokens";

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    private const string KeyFile = "holder-tokens.pem";

    private readonly Lazy<ECDsaSecurityKey> _key = new(() => LoadOrCreate(directory));

    /// <summary>The public key the server checks local tokens with.</summary>
    public SecurityKey VerificationKey
    {
        get
        {
            var parameters = _key.Value.ECDsa.ExportParameters(includePrivateParameters: false);
            return new ECDsaSecurityKey(ECDsa.Create(parameters)) { KeyId = _key.Value.KeyId };
        }
    }

    /// <summary>A token for the holder of <paramref name="idNumber"/>, valid from <paramref name="now"/> for <paramref name="lifetime"/>.</summary>
    public string Mint(string name, string idNumber, TimeSpan lifetime, HoldersOptions options, DateTimeOffset now)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), $"A local holder token lives at most {MaxLifetime.TotalHours} hours.");
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                // A subject of its own, not derived from the number: the token carries the number once, in its claim.
                new Claim(JwtRegisteredClaimNames.Sub, "local:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))),
                new Claim(options.NameClaim, name),
                new Claim(options.DocumentClaim, idNumber),
            ]),
            SigningCredentials = new SigningCredentials(_key.Value, SecurityAlgorithms.EcdsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private static ECDsaSecurityKey LoadOrCreate(DataDirectory directory)
    {
        var path = Path.Combine(directory.SecretsPath, KeyFile);
        if (!File.Exists(path))
        {
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            try
            {
                DataDirectory.WriteSecretFile(path, Encoding.ASCII.GetBytes(created.ExportPkcs8PrivateKeyPem()));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process (the server, or a second command) made it first: use theirs.
            }
        }
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        var security = new ECDsaSecurityKey(key);
        security.KeyId = Base64UrlEncoder.Encode(security.ComputeJwkThumbprint());
        return security;
    }
}

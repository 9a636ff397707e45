using Microsoft.IdentityModel.Tokens;

namespace Credentials.Server.Holders;

/// <summary>
/// The "Holders" section: how certificate holders sign in. A holder brings a JWT of the province's identity
/// provider (the government-service OpenID Connect login); its issuer, audience and signing keys are configured
/// here, the keys from the provider's OIDC metadata (<see cref="MetadataAddress"/>) or, for a deployment without
/// a way out, a JWKS file (<see cref="JwksPath"/>). <see cref="DocumentClaim"/> names the claim with the resident
/// ID number, which is turned into the server's keyed HMAC as the token arrives. Off unless <see cref="Issuer"/>
/// is set or <see cref="TrustLocalTokens"/> is on. Checked at start-up: a bad setting stops the server naming it.
/// </summary>
public sealed class HoldersOptions
{
    public const string Section = "Holders";

    /// <summary>The identity provider's issuer (the token's <c>iss</c>), e.g. https://login.example.gov.cn; empty: none.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The audience the provider issues tokens for this service with (the token's <c>aud</c>).</summary>
    public string Audience { get; set; } = "credentials";

    /// <summary>The provider's OpenID Connect metadata, e.g. https://login.example.gov.cn/.well-known/openid-configuration.</summary>
    public string MetadataAddress { get; set; } = "";

    /// <summary>Instead of the metadata: a JWKS file (RFC 7517) with the provider's public signing keys.</summary>
    public string JwksPath { get; set; } = "";

    /// <summary>The claim that carries the holder's ID number (GB 11643, 18 characters).</summary>
    public string DocumentClaim { get; set; } = "id_number";

    /// <summary>The claim with the holder's name (shown back to them only).</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>
    /// Also accept tokens made by <c>credentials-server holders token</c> (signed with the key in
    /// data/secrets/holder-tokens.pem): for a single machine and for trying things out. Off by default.
    /// </summary>
    public bool TrustLocalTokens { get; set; }

    /// <summary>How far the clocks of the provider and this server may differ (0 to 10 minutes).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether an https MetadataAddress is required (on by default; off only for a test provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool ProviderEnabled => Issuer.Length > 0;

    /// <summary>Whether holders can sign in at all.</summary>
    public bool Enabled => ProviderEnabled || TrustLocalTokens;

    /// <summary>Stops the start when a setting is wrong, naming it.</summary>
    public void ThrowIfInvalid()
    {
        if (Validate() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException("Invalid holder sign-in settings: " + string.Join(" ", problems));
        }
    }

    /// <summary>What is wrong with the settings, one sentence each naming the setting; empty when nothing is.</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        if (Enabled && string.IsNullOrWhiteSpace(Audience))
        {
            problems.Add("Holders:Audience must be set.");
        }
        if (Enabled && string.IsNullOrWhiteSpace(DocumentClaim))
        {
            problems.Add("Holders:DocumentClaim must name the claim with the ID number.");
        }
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(10))
        {
            problems.Add("Holders:ClockSkew must be between 00:00:00 and 00:10:00.");
        }
        if (ProviderEnabled)
        {
            if ((MetadataAddress.Length > 0) == (JwksPath.Length > 0))
            {
                problems.Add("Holders: set exactly one of MetadataAddress and JwksPath for the issuer's keys.");
            }
            else if (MetadataAddress.Length > 0
                && (!Uri.TryCreate(MetadataAddress, UriKind.Absolute, out var metadata)
                    || metadata.Scheme is not ("https" or "http") || (RequireHttpsMetadata && metadata.Scheme != "https")))
            {
                problems.Add($"Holders:MetadataAddress '{MetadataAddress}' must be an absolute https:// URL.");
            }
            else if (JwksPath.Length > 0 && ReadJwks(out var error) is null)
            {
                problems.Add($"Holders:JwksPath '{JwksPath}' {error}.");
            }
        }
        else if (MetadataAddress.Length > 0 || JwksPath.Length > 0)
        {
            problems.Add("Holders:Issuer must be set with MetadataAddress or JwksPath.");
        }
        return problems;
    }

    /// <summary>The signing keys of <see cref="JwksPath"/>, or null with why not.</summary>
    internal IList<SecurityKey>? ReadJwks(out string? error)
    {
        error = null;
        try
        {
            var keys = new JsonWebKeySet(File.ReadAllText(JwksPath)).GetSigningKeys();
            if (keys.Count == 0)
            {
                error = "holds no signing key";
                return null;
            }
            return keys;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException)
        {
            error = $"cannot be read as a JWKS file ({e.GetType().Name})";
            return null;
        }
    }
}

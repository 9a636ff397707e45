namespace Credentials.Core.Signing.Asn1;

/// <summary>The object identifiers our key and signature encodings use.</summary>
internal static class Oids
{
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string Sm2Curve = "1.2.156.10197.1.301";
    public const string P256Curve = "1.2.840.10045.3.1.7";
    public const string Ed25519 = "1.3.101.112";

    public const string Pbes2 = "1.2.840.113549.1.5.13";
    public const string Pbkdf2 = "1.2.840.113549.1.5.12";
    public const string HmacWithSha256 = "1.2.840.113549.2.9";
    public const string Aes256Cbc = "2.16.840.1.101.3.4.1.42";
}

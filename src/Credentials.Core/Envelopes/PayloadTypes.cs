namespace Credentials.Core.Envelopes;

/// <summary>The payload types of the envelopes we sign: one per version of the certificate document.</summary>
public static class PayloadTypes
{
    /// <summary>
    /// A serialised <see cref="Credentials.V1.CertificateDocument"/> of version 1, which carries a salted SHA-256 of
    /// the holder's document number (holder_document_digest and its salt). Still verified; never signed again,
    /// because anyone holding one can test guesses of the number against it (docs/SECURITY.md).
    /// </summary>
    public const string CertificateV1 = "application/vnd.credentials.certificate.v1+protobuf";

    /// <summary>A serialised <see cref="Credentials.V1.CertificateDocument"/> of version 2: public facts only, no digest, no salt.</summary>
    public const string CertificateV2 = "application/vnd.credentials.certificate.v2+protobuf";

    /// <summary>What new and reissued certificates are signed as.</summary>
    public const string Certificate = CertificateV2;

    /// <summary>The document version of a certificate payload type (1 or 2), or null for any other type.</summary>
    public static int? CertificateVersion(string payloadType) => payloadType switch
    {
        CertificateV1 => 1,
        CertificateV2 => 2,
        _ => null,
    };
}

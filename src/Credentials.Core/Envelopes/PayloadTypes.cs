namespace Credentials.Core.Envelopes;

/// <summary>The payload types of the envelopes we sign.</summary>
public static class PayloadTypes
{
    /// <summary>A serialised <see cref="Credentials.V1.CertificateDocument"/>.</summary>
    public const string Certificate = "application/vnd.credentials.certificate.v1+protobuf";
}

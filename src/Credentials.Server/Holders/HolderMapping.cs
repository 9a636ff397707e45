using Credentials.Core.Principals;
using Credentials.Store.Holders;
using Credentials.Store.Verification;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Server.Holders;

/// <summary>What a holder is shown: their own data, without the principal names of the authority and committees.</summary>
public static class HolderMapping
{
    public static Certificate ForHolder(Certificate certificate)
    {
        certificate.IssuedBy = "";
        if (certificate.Revocation is { } revocation)
        {
            revocation.RecordedBy = "";
        }
        return certificate;
    }

    public static MisconductRecord ForHolder(MisconductRecord record)
    {
        record.RecordedBy = "";
        if (record.Rescission is { } rescission)
        {
            rescission.RecordedBy = "";
        }
        return record;
    }

    public static V1.ShareCode ToProto(StoredShareCode code, DateTimeOffset now)
    {
        var proto = new V1.ShareCode
        {
            Id = code.Id,
            CertificateNumber = code.CertificateNumber,
            Purpose = code.Purpose,
            IncludeIntegrity = code.IncludeIntegrity,
            CreateTime = Timestamp.FromDateTimeOffset(code.CreatedAt),
            ExpireTime = Timestamp.FromDateTimeOffset(code.ExpiresAt),
            State = ShareCodes.StateOf(code, now),
        };
        if (code.RevokedAt is { } revoked)
        {
            proto.RevokeTime = Timestamp.FromDateTimeOffset(revoked);
        }
        return proto;
    }

    /// <summary>An access-log row as its holder sees it: who by name and role (a holder's pseudonym left out), never their address or request id.</summary>
    public static CertificateLookup ToLookup(StoredVerification stored)
    {
        var entry = stored.Entry;
        var method = (VerificationMethod)entry.Method;
        return new CertificateLookup
        {
            Id = stored.Id,
            Time = Timestamp.FromDateTimeOffset(entry.At),
            CertificateNumber = entry.CertificateNumber,
            Method = method,
            Result = method == VerificationMethod.Envelope ? VerificationResult.Unspecified : (VerificationResult)entry.Result,
            EnvelopeVerdict = method == VerificationMethod.Envelope ? (EnvelopeVerdict)entry.Result : EnvelopeVerdict.Unspecified,
            Principal = entry.Role == Role.Holder.ToName() ? "" : entry.Principal,
            Role = entry.Role,
            ShareCodeId = entry.ShareCodeId ?? 0,
        };
    }
}

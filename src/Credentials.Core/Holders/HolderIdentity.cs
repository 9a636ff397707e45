using Credentials.Core.Identity;
using Credentials.V1;

namespace Credentials.Core.Holders;

/// <summary>
/// The identity document a holder signs in with, as the identity provider's token names it: a number of the GB
/// 11643 structure (18 characters, birth date, check character), which is a resident ID card (居民身份证), a
/// Hong Kong, Macao or Taiwan residence permit (港澳台居民居住证, 810000/820000/830000) or a 2023 foreign permanent
/// residence ID (外国人永久居留身份证, a leading 9). Each kind is told by its prefix, so the holder's keyed HMAC is
/// the one their certificates were issued under.
/// </summary>
public static class HolderIdentity
{
    /// <summary>The kind and normalised number of <paramref name="claim"/>, or null with why not.</summary>
    public static (DocumentType Type, string Number)? FromClaim(string? claim, DateOnly today, out string? error)
    {
        var number = IdentityDocument.Normalize(claim);
        var type = number switch
        {
            ['8', '1' or '2' or '3', ..] => DocumentType.HmtResidencePermit,
            ['9', ..] => DocumentType.ForeignPermanentResidentId,
            _ => DocumentType.ResidentIdCard,
        };
        error = number.Length == 18 ? IdentityDocument.Check(type, number, today) : "must be an 18-character ID number";
        return error is null ? (type, number) : null;
    }
}

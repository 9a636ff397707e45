using System.Security.Cryptography;
using Credentials.Core.Certificates;
using Credentials.Core.Holders;
using Credentials.Core.Integrity;
using Credentials.Core.Policy;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Security;
using Credentials.Server.Verification;
using Credentials.Store;
using Credentials.Store.Audit;
using Credentials.Store.Certificates;
using Credentials.Store.Holders;
using Credentials.Store.Integrity;
using Credentials.Store.Writing;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace Credentials.Server.Holders;

/// <summary>
/// Share codes (在线验证码): a holder lets whoever has a code verify one of their certificates, for 1 to 180 days, and,
/// only if they tick it, learn whether they have an active misconduct record. A code answers while it is neither
/// expired (on the injected clock) nor revoked; an unknown, expired or revoked code answers NOT_FOUND and nothing
/// else, so the answers tell nothing about which codes exist.
/// </summary>
public sealed class ShareCodes(Database database, StoreWriter writer, PolicyProfile policy, TimeProvider time)
{
    public const int MaxValidityDays = 180;
    public const int MaxActivePerHolder = 100;
    public const int MaxPurposeLength = 100;
    public const string LimitReason = "SHARE_CODE_LIMIT";
    public const string AlreadyRevokedReason = "SHARE_CODE_ALREADY_REVOKED";

    private static readonly VerifyShareCodeResponse NotFound = new() { Result = VerificationResult.NotFound };

    /// <summary>The same refusal for a certificate or code that is someone else's and for one that does not exist.</summary>
    public static RpcException NotYours(string what) => new(new Status(StatusCode.PermissionDenied, $"No {what} of yours has this number or id."));

    /// <summary>Makes a code; returns it stored and the code itself (the only time it exists in clear).</summary>
    public async Task<(StoredShareCode Stored, string Code)> CreateAsync(Caller holder, CreateShareCodeRequest request, AuditEntry audit,
        CancellationToken cancellationToken)
    {
        var violations = new Violations();
        var number = CertificateNumber.Parse(request.CertificateNumber, out var error);
        violations.AddIf("certificate_number", error);
        if (request.ValidityDays is < 1 or > MaxValidityDays)
        {
            violations.Add("validity_days", $"must be 1 to {MaxValidityDays} days");
        }
        var purpose = Text.Normalize(request.Purpose);
        violations.AddIf("purpose", Text.Check(purpose, 0, MaxPurposeLength));
        violations.ThrowIfAny();

        var code = ShareCodeText.Generate();
        var hash = ShareCodeText.Hash(ShareCodeText.Normalize(code, out _)!);
        var id = await writer.ExecuteAsync(audit, tx =>
        {
            EnsureHolds(tx.Connection, tx.Transaction, holder, number!.Number);
            if (ShareCodeRepository.CountActive(tx.Connection, tx.Transaction, holder.HolderDigest!, tx.Now) >= MaxActivePerHolder)
            {
                throw new RuleViolationException(LimitReason,
                    $"You have {MaxActivePerHolder} active share codes; revoke one, or let one expire, before making another.");
            }
            return ShareCodeRepository.Insert(tx.Connection, tx.Transaction, holder.HolderDigest!, number.Number, hash, purpose, request.IncludeIntegrity,
                tx.Now, tx.Now.AddDays(request.ValidityDays));
        }, cancellationToken);
        using var connection = database.OpenReader();
        return (ShareCodeRepository.Get(connection, id)!, code);
    }

    /// <summary>Revokes one of the holder's codes: final; PERMISSION_DENIED for another's or a missing one.</summary>
    public async Task<StoredShareCode> RevokeAsync(Caller holder, long id, AuditEntry audit, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            throw new InvalidRequestException("id", "must be the id of one of your share codes");
        }
        await writer.ExecuteAsync(audit, tx =>
        {
            var stored = ShareCodeRepository.Get(tx.Connection, id, tx.Transaction);
            if (stored is null || !CryptographicOperations.FixedTimeEquals(stored.HolderDigest, holder.HolderDigest))
            {
                throw NotYours("share code");
            }
            if (stored.RevokedAt is not null)
            {
                throw new RuleViolationException(AlreadyRevokedReason, $"Share code {id} was revoked already.",
                    new Dictionary<string, string> { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
            ShareCodeRepository.Revoke(tx.Connection, tx.Transaction, id, tx.Now);
            return true;
        }, cancellationToken);
        using var connection = database.OpenReader();
        return ShareCodeRepository.Get(connection, id)!;
    }

    /// <summary>
    /// The answer to a verification by code, with what the access log records: the code's certificate and id when the
    /// code is known (expired and revoked ones too: their holder sees the attempt), else "" and null.
    /// </summary>
    public (string Number, long? CodeId, VerifyShareCodeResponse Response) Verify(VerifyShareCodeRequest request)
    {
        var normalized = ShareCodeText.Normalize(request.Code, out var error) ?? throw new InvalidRequestException("code", error!);
        using var connection = database.OpenReader();
        var stored = ShareCodeRepository.FindByHash(connection, ShareCodeText.Hash(normalized));
        var now = time.GetUtcNow();
        if (stored is null || !stored.IsActiveAt(now)
            || CertificateRepository.Get(connection, stored.CertificateNumber) is not { } certificate)
        {
            return (stored?.CertificateNumber ?? "", stored?.Id, NotFound);
        }
        var document = CertificateEvents.DocumentOf(certificate.DocumentEvent);
        var response = new VerifyShareCodeResponse
        {
            Result = certificate.Revocation is null ? VerificationResult.Valid : VerificationResult.Revoked,
            Certificate = VerificationMapping.ToVerified(document, (int?)certificate.Revocation?.Reason, certificate.Revocation?.EffectiveDate),
            CodeExpireTime = Timestamp.FromDateTimeOffset(stored.ExpiresAt),
            Purpose = stored.Purpose,
        };
        if (stored.IncludeIntegrity)
        {
            var today = ChinaCalendar.DateOf(now);
            response.Integrity = new SharedIntegrityStatus
            {
                HasActiveRecord = IntegrityRepository.BySubject(connection, stored.HolderDigest, SubjectRole.Unspecified).Any(r =>
                    MisconductWindow.StateOn(r.DecisionDate, policy.MisconductRecordYears, r.RescindedEvent is not null, today) == MisconductState.Active),
                AsOf = Dates.ToProto(today),
            };
        }
        return (stored.CertificateNumber, stored.Id, response);
    }

    /// <summary>The state of a code at <paramref name="now"/>.</summary>
    public static ShareCodeState StateOf(StoredShareCode code, DateTimeOffset now) =>
        code.RevokedAt is not null ? ShareCodeState.Revoked : now < code.ExpiresAt ? ShareCodeState.Active : ShareCodeState.Expired;

    /// <summary>PERMISSION_DENIED unless the certificate exists and is the holder's (one refusal for both).</summary>
    public static void EnsureHolds(SqliteConnection connection, SqliteTransaction? transaction, Caller holder, string number)
    {
        var digest = CertificateRepository.HolderDigest(connection, number, transaction);
        if (digest is null || !CryptographicOperations.FixedTimeEquals(digest, holder.HolderDigest))
        {
            throw NotYours("certificate");
        }
    }
}

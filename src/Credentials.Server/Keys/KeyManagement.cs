using Credentials.Core.Signing;
using Credentials.Core.Validation;
using Credentials.Store;
using Credentials.Store.Audit;
using Credentials.Store.Keys;
using Credentials.Store.Writing;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Server.Keys;

/// <summary>Creating, rotating and marking compromised the signing keys; each change is a ledger event.</summary>
public sealed class KeyManagement(Database database, StoreWriter writer, KeyFiles files, KeyRing ring, KeysOptions options)
{
    /// <summary>Creates the first key on a store that has none; returns its id, or null when there was one.</summary>
    public async Task<string?> EnsureKeyAsync(AuditEntry by)
    {
        using (var connection = database.OpenReader())
        {
            if (SigningKeyRepository.List(connection).Count > 0)
            {
                return null;
            }
        }
        return await RotateAsync(null, by);
    }

    /// <summary>
    /// Adds a new active key; the previous one stops signing now and stays for verification. The
    /// change is recorded against <paramref name="by"/>, in the ledger and the audit trail.
    /// </summary>
    public async Task<string> RotateAsync(string? algorithmName, AuditEntry by)
    {
        var name = algorithmName ?? options.Algorithm;
        if (!SigningAlgorithmNames.TryParse(name, out var algorithm))
        {
            throw new InvalidRequestException("algorithm", "must be SM2-SM3, ECDSA-P256-SHA256 or Ed25519");
        }
        using var key = SigningKey.Generate(algorithm);
        files.Save(key);
        await writer.ExecuteAsync(by, tx =>
        {
            SigningKeyRepository.RetireActive(tx.Connection, tx.Transaction, tx.Now);
            var record = new SigningKeyRecord(key.KeyId, algorithm.ToName(), key.PublicKey.ExportSubjectPublicKeyInfo(), tx.Now, null, null, null);
            SigningKeyRepository.Insert(tx.Connection, tx.Transaction, record);
            tx.Ledger.Append(new LedgerEvent { SigningKeyAdded = new SigningKeyAdded { Key = ToProto(record) } }, by.Principal);
            return true;
        });
        ring.Reload();
        return key.KeyId;
    }

    /// <summary>
    /// Marks a key compromised from <paramref name="at"/>: documents it signed from then on are invalid.
    /// An active key is replaced first, so issuing goes on with a fresh one.
    /// </summary>
    public async Task CompromiseAsync(string keyId, DateTimeOffset at, string reason, AuditEntry by)
    {
        var text = Text.Normalize(reason);
        var violations = new Violations();
        violations.AddIf("reason", Text.Check(text, 1, 500));
        violations.ThrowIfAny();
        if (ring.FindRecord(keyId) is null)
        {
            ring.Reload();
        }
        var record = ring.FindRecord(keyId) ?? throw new NotFoundException("signing key", keyId);
        if (record.IsActive)
        {
            await RotateAsync(record.Algorithm, by);
        }
        await writer.ExecuteAsync(by, tx =>
        {
            SigningKeyRepository.MarkCompromised(tx.Connection, tx.Transaction, keyId, at, text);
            tx.Ledger.Append(new LedgerEvent
            {
                SigningKeyCompromised = new SigningKeyCompromised { KeyId = keyId, CompromisedAt = Timestamp.FromDateTimeOffset(at), Reason = text },
            }, by.Principal);
            return true;
        });
        ring.Reload();
    }

    /// <summary>A key as ListSigningKeys and the ledger publish it.</summary>
    public static SigningKeyInfo ToProto(SigningKeyRecord record)
    {
        var key = VerificationKey.FromSubjectPublicKeyInfo(record.PublicKey);
        var proto = new SigningKeyInfo
        {
            KeyId = record.KeyId,
            Algorithm = record.Algorithm,
            PublicKeySpki = ByteString.CopyFrom(record.PublicKey),
            PublicKeyPem = key.ExportPem(),
            PublicKeyRaw = ByteString.CopyFrom(key.ExportRaw()),
            ValidFrom = Timestamp.FromDateTimeOffset(record.ValidFrom),
        };
        if (record.ValidUntil is { } until)
        {
            proto.ValidUntil = Timestamp.FromDateTimeOffset(until);
        }
        if (record.CompromisedAt is { } compromised)
        {
            proto.CompromisedAt = Timestamp.FromDateTimeOffset(compromised);
        }
        return proto;
    }
}

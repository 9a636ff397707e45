using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Identity;
using Credentials.Core.Integrity;
using Credentials.Core.Policy;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Common;
using Credentials.Server.Keys;
using Credentials.Server.Security;
using Credentials.Store;
using Credentials.Store.Audit;
using Credentials.Store.Certificates;
using Credentials.Store.Committees;
using Credentials.Store.Idempotency;
using Credentials.Store.Integrity;
using Credentials.Store.Keys;
using Credentials.Store.Writing;
using Credentials.V1;
using Microsoft.Data.Sqlite;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Server.Certificates;

/// <summary>
/// Issues certificates all or nothing. Rules that need no lock are checked first, then each
/// certificate is numbered and signed outside the single writer, and the writer re-checks what
/// may have changed meanwhile (the committee's state, the holder's other titles, the signing
/// key) in the same transaction that stores the certificates and their ledger events.
/// </summary>
public sealed class CertificateIssuer(
    Database database,
    StoreWriter writer,
    KeyRing keys,
    HolderDigests digests,
    SerialAllocator serials,
    PolicyProfile policy,
    TimeProvider time)
{
    /// <summary>ErrorInfo reason of an issuance refused for an active applicant misconduct record.</summary>
    public const string ActiveMisconductRecord = "ACTIVE_MISCONDUCT_RECORD";

    /// <summary>Below this many items, signing in parallel costs more than it saves.</summary>
    private const int ParallelSigningThreshold = 8;

    /// <summary>One certificate to issue, and how errors name it ("spec" or "items[3]").</summary>
    public sealed record Item(CertificateContent Content, string Subject);

    /// <summary>The request, as idempotency sees it.</summary>
    public sealed record Request(Caller Caller, AuditEntry Audit, string Method, string RequestId, byte[] RequestHash, string CommitteeCode, IReadOnlyList<Item> Items, int ReviewedCount);

    /// <summary>Issues every item or none; returns the certificate numbers in item order.</summary>
    public async Task<IReadOnlyList<string>> IssueAsync(Request request, CancellationToken cancellationToken)
    {
        using (var connection = database.OpenReader())
        {
            var previous = IdempotencyRepository.Find(connection, request.Caller.Name, request.Method, request.RequestId);
            if (RequestIds.Replay(previous, request.RequestHash, request.RequestId) is { } replayed)
            {
                return replayed.Split(',');
            }
        }
        var committee = ReadCommittee(request.CommitteeCode);
        var holderDigests = request.Items.Select(i => digests.Lookup(i.Content.DocumentType, i.Content.DocumentNumber)).ToArray();
        List<RuleViolation> problems;
        string? recordId;
        using (var connection = database.OpenReader())
        {
            (problems, recordId) = CheckMisconductRecords(connection, null, request.Items, holderDigests, ChinaCalendar.Today(time));
        }
        problems.AddRange(CheckCommittee(committee, request.Items));
        problems.AddRange(CheckDuplicatesInBatch(request.Items, holderDigests));
        problems.AddRange(CheckPassRate(request.Items, request.ReviewedCount));
        ThrowIfAny(problems, recordId);

        // One retry: if the signing key was rotated or compromised while we signed, sign again with the new one.
        for (var attempt = 0; ; attempt++)
        {
            var prepared = Prepare(committee, request.Items, holderDigests);
            try
            {
                return await writer.ExecuteAsync(request.Audit, tx => Commit(tx, request, prepared), cancellationToken);
            }
            catch (SigningKeyChangedException) when (attempt == 0)
            {
                keys.Reload();
            }
        }
    }

    private sealed record Prepared(Item Item, int Serial, string Number, byte[] HolderDigest, Envelope Envelope, string KeyId);

    private List<Prepared> Prepare(Committee committee, IReadOnlyList<Item> items, byte[][] holderDigests)
    {
        var key = keys.Active;
        var issuedAt = time.GetUtcNow();
        // Serials in item order, so that a session's numbers follow its list; then sign, in parallel when it pays.
        var serialNumbers = items.Select(i => serials.Next(committee.Code, i.Content.ReviewYear)).ToArray();
        var prepared = new Prepared[items.Count];
        void PrepareOne(int i)
        {
            var content = items[i].Content;
            var number = CertificateNumber.Format(committee.Code, content.ReviewYear, serialNumbers[i]);
            var document = CertificateDocuments.Create(number, content, committee, issuedAt, key.KeyId);
            prepared[i] = new Prepared(items[i], serialNumbers[i], number, holderDigests[i], EnvelopeSigner.SignCertificate(document, key), key.KeyId);
        }
        if (items.Count < ParallelSigningThreshold)
        {
            for (var i = 0; i < items.Count; i++)
            {
                PrepareOne(i);
            }
        }
        else
        {
            Parallel.For(0, items.Count, PrepareOne);
        }
        return [.. prepared];
    }

    private IReadOnlyList<string> Commit(WriteTransaction tx, Request request, List<Prepared> prepared)
    {
        var previous = IdempotencyRepository.Find(tx.Connection, request.Caller.Name, request.Method, request.RequestId, tx.Transaction);
        if (RequestIds.Replay(previous, request.RequestHash, request.RequestId) is { } replayed)
        {
            return replayed.Split(',');
        }
        var committee = CommitteeRepository.Get(tx.Connection, request.CommitteeCode, tx.Transaction)
            ?? throw new NotFoundException("committee", request.CommitteeCode);
        var (problems, recordId) = CheckMisconductRecords(tx.Connection, tx.Transaction, request.Items,
            prepared.Select(p => p.HolderDigest).ToArray(), ChinaCalendar.DateOf(tx.Now));
        problems.AddRange(CheckCommittee(committee, request.Items));
        foreach (var item in prepared)
        {
            var content = item.Item.Content;
            if (CertificateRepository.FindSameLevelInYear(tx.Connection, tx.Transaction, item.HolderDigest, content.ReviewYear, content.Level) is not null)
            {
                problems.Add(new RuleViolation(item.Item.Subject, "DUPLICATE_LEVEL_IN_YEAR",
                    $"The holder already has a {content.Level} title of {content.ReviewYear} (同一年度不得取得不同系列、不同专业的同级职称)."));
            }
        }
        ThrowIfAny(problems, recordId);
        if (!SigningKeyRepository.IsActive(tx.Connection, prepared[0].KeyId, tx.Transaction))
        {
            throw new SigningKeyChangedException(prepared[0].KeyId);
        }

        foreach (var item in prepared)
        {
            var content = item.Item.Content;
            var sequence = tx.Ledger.Append(new LedgerEvent
            {
                CommitteeCode = committee.Code,
                ReviewYear = content.ReviewYear,
                CertificateIssued = new CertificateIssued { Number = item.Number, Level = content.Level, Series = content.Series, Envelope = item.Envelope },
            }, request.Caller.Name);
            CertificateRepository.Insert(tx.Connection, tx.Transaction, new CertificateRow(
                item.Number, committee.Code, content.ReviewYear, item.Serial, content.Level, content.Series, item.HolderDigest, sequence, request.Caller.Name));
        }
        var numbers = prepared.Select(p => p.Number).ToList();
        IdempotencyRepository.Insert(tx.Connection, tx.Transaction, request.Caller.Name, request.Method, request.RequestId,
            request.RequestHash, string.Join(',', numbers), tx.Now);
        return numbers;
    }

    /// <summary>
    /// Holders with an active applicant record (诚信档案) are refused while the profile's switch is on,
    /// and their problems come first; returns them and the first such record's id. Only applicant
    /// records bar a title: 职称评审监管暂行办法 (2024) bars an applicant recorded for an untrue
    /// declaration from applying while the record is active, and the profile extends that to
    /// every applicant record; records of experts and staff concern the reviews they worked on
    /// (Shanxi 2024 四(四)), not their own titles.
    /// </summary>
    private (List<RuleViolation> Problems, string? FirstRecordId) CheckMisconductRecords(SqliteConnection connection, SqliteTransaction? transaction,
        IReadOnlyList<Item> items, byte[][] holderDigests, DateOnly today)
    {
        var problems = new List<RuleViolation>();
        string? first = null;
        if (!policy.RefuseIssuanceWithActiveRecord)
        {
            return (problems, first);
        }
        var earliestActive = MisconductWindow.EarliestActiveDecision(today, policy.MisconductRecordYears);
        for (var i = 0; i < items.Count; i++)
        {
            if (IntegrityRepository.FindActive(connection, holderDigests[i], SubjectRole.Applicant, earliestActive, transaction) is { } id)
            {
                first ??= id;
                problems.Add(new RuleViolation(items[i].Subject, ActiveMisconductRecord,
                    $"The holder has an active misconduct record {id} in the integrity record (诚信档案); no title is issued while it is active."));
            }
        }
        return (problems, first);
    }

    private static List<RuleViolation> CheckCommittee(Committee committee, IReadOnlyList<Item> items) =>
        items.SelectMany(item => IssuanceRules.CheckCommittee(committee, item.Content)
            .Select(p => new RuleViolation(item.Subject, p.Reason, p.Description))).ToList();

    private static IEnumerable<RuleViolation> CheckDuplicatesInBatch(IReadOnlyList<Item> items, byte[][] holderDigests)
    {
        var seen = new HashSet<(string, int, TitleLevel)>();
        for (var i = 0; i < items.Count; i++)
        {
            var content = items[i].Content;
            if (!seen.Add((Convert.ToHexString(holderDigests[i]), content.ReviewYear, content.Level)))
            {
                yield return new RuleViolation(items[i].Subject, "DUPLICATE_LEVEL_IN_YEAR",
                    $"The same holder appears twice at level {content.Level} of {content.ReviewYear} in this request.");
            }
        }
    }

    /// <summary>评审通过率: at most the profile's share of the reviewed applicants may pass, per level.</summary>
    private IEnumerable<RuleViolation> CheckPassRate(IReadOnlyList<Item> items, int reviewedCount)
    {
        if (reviewedCount <= 0)
        {
            yield break;
        }
        foreach (var level in items.GroupBy(i => i.Content.Level))
        {
            if (policy.MaxPassRate.TryGetValue(level.Key, out var limit) && level.Count() > reviewedCount * limit)
            {
                yield return new RuleViolation("items", "PASS_RATE_EXCEEDED",
                    $"{level.Count()} of {reviewedCount} reviewed applicants pass at level {level.Key}: " +
                    $"more than the {limit:P0} the {policy.Name} policy allows.");
            }
        }
    }

    /// <summary>Throws for the problems; ErrorInfo names the first subject and, when the first problem is a misconduct record, its id.</summary>
    private static void ThrowIfAny(List<RuleViolation> problems, string? recordId)
    {
        if (problems.Count == 0)
        {
            return;
        }
        var first = problems[0];
        var message = problems.Count == 1
            ? first.Description
            : $"{problems.Count} problems; nothing was issued. {first.Subject}: {first.Description}";
        var metadata = new Dictionary<string, string> { ["subject"] = first.Subject };
        if (first.Reason == ActiveMisconductRecord && recordId is not null)
        {
            metadata["record_id"] = recordId;
        }
        throw new RuleViolationException(first.Reason, message, metadata, problems);
    }

    private Committee ReadCommittee(string code)
    {
        using var connection = database.OpenReader();
        return CommitteeRepository.Get(connection, code) ?? throw new NotFoundException("committee", code);
    }
}

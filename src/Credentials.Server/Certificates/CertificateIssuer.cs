using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Identity;
using Credentials.Core.Integrity;
using Credentials.Core.Policy;
using Credentials.Core.Signing;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Common;
using Credentials.Server.Keys;
using Credentials.Server.Security;
using Credentials.Server.Telemetry;
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
/// certificate is numbered with its predicted serial and signed outside the single writer, and the
/// writer re-checks what may have changed meanwhile (the committee's state, the holder's other
/// titles, the signing key), assigns the real serials (gap-free, see <see cref="SerialAllocator"/>)
/// and stores the certificates and their ledger events in one transaction.
/// </summary>
public sealed class CertificateIssuer(
    Database database,
    StoreWriter writer,
    KeyRing keys,
    HolderDigests digests,
    CallerIdentifiers identifiers,
    SerialAllocator serials,
    PolicyProfile policy,
    TimeProvider time)
{
    /// <summary>ErrorInfo reason of an issuance refused for an active applicant misconduct record.</summary>
    public const string ActiveMisconductRecord = "ACTIVE_MISCONDUCT_RECORD";

    /// <summary>Below this many items, signing in parallel costs more than it saves.</summary>
    private const int ParallelSigningThreshold = 8;

    private long _resigned;

    /// <summary>One certificate to issue, and how errors name it ("spec" or "items[3]").</summary>
    public sealed record Item(CertificateContent Content, string Subject);

    /// <summary>The request, validated and normalised; <see cref="RequestId"/> as the caller sent it.</summary>
    public sealed record Request(Caller Caller, AuditEntry Audit, string Method, string RequestId, string CommitteeCode, IReadOnlyList<Item> Items, int ReviewedCount);

    /// <summary>Certificates the writer signed again because the serial they were signed with was not the one they got.</summary>
    public long ResignedInWriter => Interlocked.Read(ref _resigned);

    /// <summary>Issues every item or none; returns the certificate numbers in item order.</summary>
    public async Task<IReadOnlyList<string>> IssueAsync(Request request, CancellationToken cancellationToken)
    {
        var holderDigests = request.Items.Select(i => digests.Lookup(i.Content.DocumentType, i.Content.DocumentNumber)).ToArray();
        var idempotency = new Idempotency(request.Caller.Name, request.Method, identifiers.ForStorage(request.RequestId), HashOf(request, holderDigests));
        using (var connection = database.OpenReader())
        {
            if (idempotency.Replay(connection, null) is { } replayed)
            {
                return replayed.Split(',');
            }
        }
        var committee = ReadCommittee(request.CommitteeCode);
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
            var batch = new Batch(committee, keys.Active, time.GetUtcNow(), request.Items, holderDigests, serials);
            var stored = false;
            try
            {
                using (ServerActivities.StartSigning(request.Items.Count, batch.KeyId))
                {
                    batch.Sign();
                }
                // To the writer in the order the serials were predicted, or the predictions would be wrong.
                await batch.Reservation.WhenTurnAsync(cancellationToken);
                var write = writer.ExecuteAsync(request.Audit, tx => Commit(tx, request, idempotency, batch), cancellationToken);
                batch.Reservation.Queued();
                var (numbers, issued) = await write;
                stored = issued;
                return numbers;
            }
            catch (SigningKeyChangedException) when (attempt == 0)
            {
                keys.Reload();
            }
            finally
            {
                batch.Reservation.Queued();
                batch.Reservation.Settle(stored ? batch.LastStored : null);
            }
        }
    }

    /// <summary>What the idempotency table knows a request by: the request id as stored, and the hash of what was asked.</summary>
    private sealed record Idempotency(string Principal, string Method, string RequestId, byte[] RequestHash)
    {
        public string? Replay(SqliteConnection connection, SqliteTransaction? transaction) =>
            RequestIds.Replay(IdempotencyRepository.Find(connection, Principal, Method, RequestId, transaction), RequestHash);
    }

    /// <summary>
    /// The request as the server understood it: the committee, the pass-rate base and the normalised items,
    /// each holder's document by its keyed digest (a plain hash over an ID number can be reversed by guessing).
    /// </summary>
    private static byte[] HashOf(Request request, byte[][] holderDigests) => RequestIds.Hash(new
    {
        request.CommitteeCode,
        request.ReviewedCount,
        Items = request.Items.Select((item, i) => item.Content with { DocumentNumber = Convert.ToHexString(holderDigests[i]) }),
    });

    /// <summary>Inside the writer: the numbers, and whether they were issued now (false: replayed).</summary>
    private (IReadOnlyList<string> Numbers, bool Issued) Commit(WriteTransaction tx, Request request, Idempotency idempotency, Batch batch)
    {
        if (idempotency.Replay(tx.Connection, tx.Transaction) is { } replayed)
        {
            return (replayed.Split(','), false);
        }
        var committee = CommitteeRepository.Get(tx.Connection, request.CommitteeCode, tx.Transaction)
            ?? throw new NotFoundException("committee", request.CommitteeCode);
        var holderDigests = batch.HolderDigests;
        var (problems, recordId) = CheckMisconductRecords(tx.Connection, tx.Transaction, request.Items, holderDigests, ChinaCalendar.DateOf(tx.Now));
        problems.AddRange(CheckCommittee(committee, request.Items));
        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i];
            var content = item.Content;
            if (CertificateRepository.FindSameLevelInYear(tx.Connection, tx.Transaction, holderDigests[i], content.ReviewYear, content.Level) is not null)
            {
                problems.Add(new RuleViolation(item.Subject, "DUPLICATE_LEVEL_IN_YEAR",
                    $"The holder already has a {content.Level} title of {content.ReviewYear} (同一年度不得取得不同系列、不同专业的同级职称)."));
            }
        }
        ThrowIfAny(problems, recordId);
        if (!SigningKeyRepository.IsActive(tx.Connection, batch.KeyId, tx.Transaction))
        {
            throw new SigningKeyChangedException(batch.KeyId);
        }

        var prepared = AssignSerials(tx, request.CommitteeCode, batch);
        for (var i = 0; i < prepared.Length; i++)
        {
            var (item, serial, number, envelope) = prepared[i];
            var content = item.Content;
            var sequence = tx.Ledger.Append(new LedgerEvent
            {
                CommitteeCode = committee.Code,
                ReviewYear = content.ReviewYear,
                CertificateIssued = new CertificateIssued { Number = number, Level = content.Level, Series = content.Series, Envelope = envelope },
            }, request.Caller.Name);
            CertificateRepository.Insert(tx.Connection, tx.Transaction, new CertificateRow(
                number, committee.Code, content.ReviewYear, serial, content.Level, content.Series, holderDigests[i], sequence, request.Caller.Name));
        }
        var numbers = prepared.Select(p => p.Number).ToList();
        IdempotencyRepository.Insert(tx.Connection, tx.Transaction, idempotency.Principal, idempotency.Method, idempotency.RequestId,
            idempotency.RequestHash, string.Join(',', numbers), tx.Now);
        return (numbers, true);
    }

    /// <summary>
    /// The real serials, from the store inside this transaction: the next free ones of each review year, in
    /// item order. A certificate signed with another serial is numbered and signed again, here in the writer.
    /// </summary>
    private Prepared[] AssignSerials(WriteTransaction tx, string committeeCode, Batch batch)
    {
        var items = batch.Items;
        var serials = InItemOrder(items, year => SerialAllocator.NextFree(tx.Connection, tx.Transaction, committeeCode, year));
        var prepared = new Prepared[items.Count];
        var wrong = new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            if (serials[i] > CertificateNumber.MaxSerial)
            {
                throw new RuleViolationException("SERIALS_EXHAUSTED",
                    $"Committee {committeeCode} has used all {CertificateNumber.MaxSerial} serials of {items[i].Content.ReviewYear}.",
                    new Dictionary<string, string> { ["subject"] = items[i].Subject });
            }
            batch.LastStored[items[i].Content.ReviewYear] = serials[i];
            if (batch.Signed[i] is { } signed && signed.Serial == serials[i])
            {
                prepared[i] = signed;
            }
            else
            {
                wrong.Add(i);
            }
        }
        ForEach(wrong.Count, w => prepared[wrong[w]] = batch.Sign(wrong[w], serials[wrong[w]]));
        Interlocked.Add(ref _resigned, wrong.Count);
        return prepared;
    }

    /// <summary>Serials in item order, each review year's counting on from its first: a session's numbers follow its list.</summary>
    private static int[] InItemOrder(IReadOnlyList<Item> items, Func<int, int> firstOfYear)
    {
        var serials = new int[items.Count];
        var next = new Dictionary<int, int>();
        for (var i = 0; i < items.Count; i++)
        {
            var year = items[i].Content.ReviewYear;
            serials[i] = next.TryGetValue(year, out var serial) ? serial : firstOfYear(year);
            next[year] = serials[i] + 1;
        }
        return serials;
    }

    /// <summary>One certificate numbered with a serial and signed, ready to store.</summary>
    private sealed record Prepared(Item Item, int Serial, string Number, Envelope Envelope);

    /// <summary>The certificates of one attempt, signed with predicted serials, and what it takes to sign one again.</summary>
    private sealed class Batch
    {
        private readonly Committee _committee;
        private readonly SigningKey _key;
        private readonly DateTimeOffset _issuedAt;

        /// <summary>Reserves the serials of every review year the items have.</summary>
        public Batch(Committee committee, SigningKey key, DateTimeOffset issuedAt, IReadOnlyList<Item> items, byte[][] holderDigests, SerialAllocator serials)
        {
            _committee = committee;
            _key = key;
            _issuedAt = issuedAt;
            Items = items;
            HolderDigests = holderDigests;
            Reservation = serials.Reserve(committee.Code,
                items.GroupBy(i => i.Content.ReviewYear).Select(year => (year.Key, year.Count())).ToList());
        }

        public IReadOnlyList<Item> Items { get; }

        public byte[][] HolderDigests { get; }

        public SerialAllocator.Reservation Reservation { get; }

        /// <summary>In item order; null where the prediction was past the last serial (the writer numbers and signs it, or refuses).</summary>
        public Prepared?[] Signed { get; private set; } = [];

        public string KeyId => _key.KeyId;

        /// <summary>Set inside the writer: the highest serial stored per review year.</summary>
        public Dictionary<int, int> LastStored { get; } = [];

        /// <summary>Signs every certificate with its predicted serial.</summary>
        public void Sign()
        {
            var predicted = InItemOrder(Items, Reservation.First);
            var signed = new Prepared?[Items.Count];
            ForEach(Items.Count, i => signed[i] = predicted[i] <= CertificateNumber.MaxSerial ? Sign(i, predicted[i]) : null);
            Signed = signed;
        }

        public Prepared Sign(int index, int serial)
        {
            var content = Items[index].Content;
            var number = CertificateNumber.Format(_committee.Code, content.ReviewYear, serial);
            var document = CertificateDocuments.Create(number, content, _committee, _issuedAt, _key.KeyId);
            return new Prepared(Items[index], serial, number, EnvelopeSigner.SignCertificate(document, _key));
        }
    }

    /// <summary>Runs <paramref name="action"/> for 0 to <paramref name="count"/> - 1, in parallel when it pays.</summary>
    private static void ForEach(int count, Action<int> action)
    {
        if (count < ParallelSigningThreshold)
        {
            for (var i = 0; i < count; i++)
            {
                action(i);
            }
        }
        else
        {
            Parallel.For(0, count, action);
        }
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

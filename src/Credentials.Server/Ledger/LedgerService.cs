using Credentials.Core.Certificates;
using Credentials.Core.Committees;
using Credentials.Core.Integrity;
using Credentials.Core.Ledger;
using Credentials.Core.Policy;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Security;
using Credentials.Store;
using Credentials.Store.Ledger;
using Credentials.Store.Statistics;
using Credentials.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Credentials.Server.Ledger;

/// <summary>
/// credentials.v1.LedgerService: the transparency log the provincial platform (省级平台) pulls and audits.
/// Checkpoints and consistency proofs are anonymous: they reveal a size and hashes only, and every extra
/// party comparing checkpoints makes a split view harder to keep up. Inclusion proofs locate certificates and
/// the stream carries the events' personal data (names, masked documents), so those need the platform or the
/// authority role, as do the statistics.
/// </summary>
public sealed class LedgerService(Database database, LogCheckpoints checkpoints, LogKey key, PolicyProfile policy, TimeProvider time)
    : V1.LedgerService.LedgerServiceBase
{
    public const int DefaultBatchSize = 500;
    public const int MaxBatchSize = 1000;
    public const int MaxBatchBytes = 1 << 20;
    public const int MaxEventTypes = 16;

    private const string BeyondTreeSize = "BEYOND_TREE_SIZE";

    [AllowAnonymous]
    public override async Task<GetCheckpointResponse> GetCheckpoint(GetCheckpointRequest request, ServerCallContext context) =>
        new() { Checkpoint = ToProto(await checkpoints.CurrentAsync(context.CancellationToken)), VerifierKey = key.VerifierKey };

    [Authorize(Policy = Policies.Oversight)]
    public override async Task<GetInclusionProofResponse> GetInclusionProof(GetInclusionProofRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (request.TreeSize < 0)
        {
            violations.Add("tree_size", "must be 0 (the current tree) or a tree size");
        }
        string? number = null;
        switch (request.LeafCase)
        {
            case GetInclusionProofRequest.LeafOneofCase.LeafIndex when request.LeafIndex < 0:
                violations.Add("leaf_index", "must be 0 or more");
                break;
            case GetInclusionProofRequest.LeafOneofCase.LeafIndex when request.TreeSize > 0 && request.LeafIndex >= request.TreeSize:
                violations.Add("leaf_index", "must be below tree_size: a tree of n leaves holds leaves 0 to n-1");
                break;
            case GetInclusionProofRequest.LeafOneofCase.CertificateNumber:
                number = CertificateNumber.Parse(request.CertificateNumber, out var error)?.Number;
                violations.AddIf("certificate_number", error);
                break;
            case GetInclusionProofRequest.LeafOneofCase.None:
                violations.Add("leaf", "set leaf_index or certificate_number");
                break;
        }
        violations.ThrowIfAny();

        long index, treeSize;
        byte[][] path;
        byte[] leafHash;
        using (var connection = database.OpenReader())
        {
            var current = LedgerRepository.Size(connection);
            CheckTreeSize("tree_size", request.TreeSize, current);
            treeSize = request.TreeSize == 0 ? current : request.TreeSize;
            if (number is null)
            {
                index = request.LeafIndex;
                if (index >= treeSize)
                {
                    throw new OutOfRangeException(BeyondTreeSize, "leaf_index",
                        $"The log has {current} leaves; leaf {index} does not exist yet.", current);
                }
            }
            else
            {
                index = LedgerRepository.IssuanceEvent(connection, number) ?? throw new NotFoundException("certificate", number);
                if (index >= treeSize)
                {
                    throw new OutOfRangeException(BeyondTreeSize, "tree_size",
                        $"The certificate's issuance event is leaf {index}, after the tree of {treeSize} leaves.", current);
                }
            }
            // The leaf hash comes from the tree, not from re-hashing the stored event: it is what the root commits to.
            var plan = NodePlan.Inclusion(index, treeSize);
            var leaf = new NodeId(0, index);
            var hashes = MerkleNodeRepository.Fetch(connection, [.. plan.NodeIds, leaf]);
            path = plan.Assemble(hashes);
            leafHash = hashes.TryGetValue(leaf, out var stored) ? stored : throw new InvalidOperationException($"ledger node {leaf} is not stored");
        }
        var response = new GetInclusionProofResponse { LeafIndex = index, TreeSize = treeSize, LeafHash = ByteString.CopyFrom(leafHash) };
        response.Hashes.AddRange(path.Select(h => UnsafeByteOperations.UnsafeWrap(h)));
        if (request.TreeSize == 0)
        {
            response.Checkpoint = ToProto(await checkpoints.ForSizeAsync(treeSize, context.CancellationToken));
        }
        return response;
    }

    [AllowAnonymous]
    public override Task<GetConsistencyProofResponse> GetConsistencyProof(GetConsistencyProofRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (request.FirstTreeSize < 0)
        {
            violations.Add("first_tree_size", "must be 0 or more");
        }
        if (request.SecondTreeSize < 0)
        {
            violations.Add("second_tree_size", "must be 0 or more");
        }
        else if (request.FirstTreeSize > request.SecondTreeSize)
        {
            violations.Add("first_tree_size", "must not exceed second_tree_size: a tree is consistent with its prefixes only");
        }
        violations.ThrowIfAny();

        using var connection = database.OpenReader();
        CheckTreeSize("second_tree_size", request.SecondTreeSize, LedgerRepository.Size(connection));
        var response = new GetConsistencyProofResponse { FirstTreeSize = request.FirstTreeSize, SecondTreeSize = request.SecondTreeSize };
        response.Hashes.AddRange(LedgerRepository.Run(connection, NodePlan.Consistency(request.FirstTreeSize, request.SecondTreeSize))
            .Select(h => UnsafeByteOperations.UnsafeWrap(h)));
        return Task.FromResult(response);
    }

    [Authorize(Policy = Policies.Oversight)]
    public override async Task StreamEvents(StreamEventsRequest request, IServerStreamWriter<StreamEventsResponse> responses, ServerCallContext context)
    {
        var violations = new Violations();
        if (request.StartIndex < 0)
        {
            violations.Add("start_index", "must be 0 or more");
        }
        if (request.EndIndex < 0)
        {
            violations.Add("end_index", "must be 0 (the current size) or a tree size");
        }
        else if (request.EndIndex > 0 && request.StartIndex > request.EndIndex)
        {
            violations.Add("start_index", "must not exceed end_index");
        }
        var filter = ReadFilter(request, violations);
        if (request.BatchSize is < 0 or > MaxBatchSize)
        {
            violations.Add("batch_size", $"must be 0 (default {DefaultBatchSize}) to {MaxBatchSize}");
        }
        violations.ThrowIfAny();
        var batchSize = request.BatchSize == 0 ? DefaultBatchSize : request.BatchSize;

        long end;
        using (var connection = database.OpenReader())
        {
            var current = LedgerRepository.Size(connection);
            CheckTreeSize("end_index", request.EndIndex, current);
            end = request.EndIndex == 0 ? current : request.EndIndex;
            if (request.StartIndex > end)
            {
                throw new OutOfRangeException(BeyondTreeSize, "start_index",
                    $"The log has {current} leaves; the stream cannot start at {request.StartIndex}.", current);
            }
            // The events below `end` never change, so batch after batch reads one consistent history.
            using var cursor = new LedgerEventCursor(connection, filter, end);
            var rows = new List<LedgerEventRow>(batchSize);
            var next = request.StartIndex;
            while (next < end)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                rows.Clear();
                next = cursor.Read(next, batchSize, MaxBatchBytes, rows);
                if (rows.Count == 0)
                {
                    break;
                }
                var message = new StreamEventsResponse { NextIndex = next };
                foreach (var row in rows)
                {
                    // The stored bytes go out as they are (no copy, no re-serialisation): they are the leaf.
                    message.Entries.Add(new LedgerEntry { LeafIndex = row.Sequence, Event = UnsafeByteOperations.UnsafeWrap(row.Body) });
                }
                await responses.WriteAsync(message, context.CancellationToken);
            }
        }
        var checkpoint = await checkpoints.ForSizeAsync(end, context.CancellationToken);
        await responses.WriteAsync(new StreamEventsResponse { NextIndex = end, Checkpoint = ToProto(checkpoint) }, context.CancellationToken);
    }

    [Authorize(Policy = Policies.Oversight)]
    public override Task<GetStatisticsResponse> GetStatistics(GetStatisticsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        CheckYear(request.ReviewYear, "review_year", violations);
        var code = OptionalCommittee(request.CommitteeCode, "committee_code", violations);
        violations.ThrowIfAny();

        var today = ChinaCalendar.Today(time);
        LedgerStatistics statistics;
        using (var connection = database.OpenReader())
        {
            statistics = StatisticsRepository.Read(connection, request.ReviewYear, code ?? "",
                MisconductWindow.EarliestActiveDecision(today, policy.MisconductRecordYears), today);
        }
        var response = new GetStatisticsResponse { AsOf = Dates.ToProto(today), TreeSize = statistics.TreeSize };
        response.Certificates.AddRange(statistics.Certificates.Select(c => new CertificateCount
        {
            ReviewYear = (int)c.ReviewYear, CommitteeCode = c.CommitteeCode, Series = c.Series, Level = (TitleLevel)c.Level,
            Issued = c.Issued, Revoked = c.Revoked,
        }));
        response.Revocations.AddRange(statistics.Revocations.Select(r => new RevocationCount { Reason = (RevocationReason)r.Reason, Count = r.Count }));
        response.ActiveMisconduct.AddRange(statistics.ActiveMisconduct.Select(m => new MisconductCount
        {
            Role = (SubjectRole)m.SubjectRole, Type = (MisconductType)m.Type, Active = m.Active,
        }));
        return Task.FromResult(response);
    }

    public static SignedCheckpoint ToProto(StoredCheckpoint checkpoint)
    {
        // The origin is the note's first line (as signed then, whatever the settings say now).
        var text = LogCheckpoints.NoteText(checkpoint);
        return new SignedCheckpoint
        {
            Note = UnsafeByteOperations.UnsafeWrap(checkpoint.Note),
            Origin = text[..text.IndexOf('\n', StringComparison.Ordinal)],
            TreeSize = checkpoint.TreeSize,
            RootHash = UnsafeByteOperations.UnsafeWrap(checkpoint.RootHash),
        };
    }

    private static LedgerEventFilter ReadFilter(StreamEventsRequest request, Violations violations)
    {
        if (request.EventTypes.Count > MaxEventTypes)
        {
            violations.Add("event_types", $"must list at most {MaxEventTypes} types");
        }
        for (var i = 0; i < request.EventTypes.Count && i < MaxEventTypes; i++)
        {
            if (request.EventTypes[i] == LedgerEventType.Unspecified || !Enum.IsDefined(request.EventTypes[i]))
            {
                violations.Add($"event_types[{i}]", "must be a defined event type other than LEDGER_EVENT_TYPE_UNSPECIFIED");
            }
        }
        CheckYear(request.ReviewYear, "review_year", violations);
        var code = OptionalCommittee(request.CommitteeCode, "committee_code", violations);
        // ledger_events.type is the LedgerEvent change field number, which LedgerEventType mirrors.
        return new LedgerEventFilter([.. request.EventTypes.Select(t => (int)t).Distinct().Order()], code,
            request.ReviewYear == 0 ? null : request.ReviewYear);
    }

    private static void CheckYear(int year, string field, Violations violations)
    {
        if (year is < 0 or > 9999)
        {
            violations.Add(field, "must be 0 (all) or a year");
        }
    }

    private static string? OptionalCommittee(string text, string field, Violations violations)
    {
        var code = CommitteeCode.Normalize(text);
        if (code.Length == 0)
        {
            return null;
        }
        violations.AddIf(field, CommitteeCode.Check(code));
        return code;
    }

    /// <summary>A tree size past the current one is OUT_OF_RANGE: the log may reach it later.</summary>
    private static void CheckTreeSize(string field, long requested, long current)
    {
        if (requested > current)
        {
            throw new OutOfRangeException(BeyondTreeSize, field, $"The log has {current} leaves; {field} {requested} is beyond it.", current);
        }
    }
}

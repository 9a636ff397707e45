using System.Security.Cryptography;
using Credentials.Core.Ledger;
using Credentials.Core.Principals;
using Credentials.Server.Ledger;
using Credentials.Server.Tests.Certificates;
using Credentials.Server.Tests.Integrity;
using Credentials.Store;
using Credentials.Store.Ledger;
using Credentials.Testing;
using Credentials.V1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Ledger;

public sealed class LedgerServiceTests : LedgerServerTest
{
    [Fact]
    public async Task GetCheckpoint_Anonymous_IsSignedByThePublishedKeyOverTheStoredEvents()
    {
        var response = await CheckpointAsync(token: null);

        var verifier = NoteVerifier.Parse(response.VerifierKey);
        var checkpoint = Checkpoint.Open(response.Checkpoint.Note.Span, "credentials.example.cn/ledger", verifier);
        var leaves = ReferenceLeaves();
        Assert.Equal(leaves.Length, checkpoint.Size);
        Assert.Equal(ReferenceMerkle.Mth(leaves, 0, leaves.Length), checkpoint.RootHash.ToArray());
        Assert.Equal(checkpoint.Size, response.Checkpoint.TreeSize);
        Assert.Equal(checkpoint.RootHash.ToArray(), response.Checkpoint.RootHash.ToByteArray());
        Assert.Equal("credentials.example.cn/ledger", response.Checkpoint.Origin);
        Assert.Equal(Server.Services.GetRequiredService<LogKey>().VerifierKey, response.VerifierKey);
    }

    [Fact]
    public async Task GetCheckpoint_SameSize_SameBytesAndOneStoredCheckpointPerSize()
    {
        var first = await CheckpointAsync();
        var again = await CheckpointAsync();
        await Server.IssueAsync(4, Committee);
        var grown = await CheckpointAsync();

        Assert.Equal(first.Checkpoint.Note, again.Checkpoint.Note);
        Assert.Equal(first.Checkpoint.TreeSize + 1, grown.Checkpoint.TreeSize);
        using var connection = Server.Services.GetRequiredService<Database>().OpenReader();
        var stored = CheckpointRepository.List(connection);
        Assert.Equal([first.Checkpoint.TreeSize, grown.Checkpoint.TreeSize], stored.Select(c => c.TreeSize));
        Assert.Equal(grown.Checkpoint.Note.ToByteArray(), stored[1].Note);
    }

    [Fact]
    public async Task GetCheckpoint_LogKey_CreatedAtFirstStartOwnerOnlyAndNotAudited()
    {
        var key = Server.Services.GetRequiredService<LogKey>();
        await CheckpointAsync(Platform);

        Assert.Equal(Path.Combine(Server.DataDir, "keys", LogKey.FileName), key.Path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.Path));
        Assert.StartsWith("credentials.example.cn/ledger+", key.VerifierKey, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", Server.Logs.AllText, StringComparison.Ordinal);
        // Keeping a checkpoint is bookkeeping, not a write of the caller's.
        Assert.Equal(0, Server.Count("audit_log WHERE method LIKE '%LedgerService%'"));
    }

    [Fact]
    public async Task GetInclusionProof_EveryLeafOfSeveralTrees_MatchesTheReferenceAndVerifies()
    {
        var leaves = ReferenceLeaves();
        foreach (var size in new[] { 1, 2, 7, 8, 9, leaves.Length - 1, leaves.Length })
        {
            var root = ReferenceMerkle.Mth(leaves, 0, size);
            for (var index = 0; index < size; index++)
            {
                var proof = await InclusionAsync(new GetInclusionProofRequest { LeafIndex = index, TreeSize = size });

                var hashes = proof.Hashes.Select(h => h.ToByteArray()).ToList();
                Assert.Equal(ReferenceMerkle.Path(index, leaves, 0, size), hashes);
                Assert.Equal(leaves[index], proof.LeafHash.ToByteArray());
                Assert.True(ProofVerifier.VerifyInclusion(index, size, leaves[index], hashes, root), $"leaf {index} of {size}");
                Assert.Null(proof.Checkpoint);
            }
        }
    }

    [Fact]
    public async Task GetInclusionProof_ByCertificateNumberInCurrentTree_ProvesTheIssuanceEventAgainstTheSignedCheckpoint()
    {
        var certificate = await Server.IssueAsync(9, Committee);
        var events = StoredEvents();

        var proof = await InclusionAsync(new GetInclusionProofRequest { CertificateNumber = certificate.Number.ToLowerInvariant() });

        var issued = LedgerEvent.Parser.ParseFrom(events[proof.LeafIndex]);
        Assert.Equal(certificate.Number, issued.CertificateIssued.Number);
        Assert.Equal(events.Length, proof.TreeSize);
        var key = NoteVerifier.Parse((await CheckpointAsync()).VerifierKey);
        var checkpoint = Checkpoint.Open(proof.Checkpoint.Note.Span, "credentials.example.cn/ledger", key);
        Assert.Equal(proof.TreeSize, checkpoint.Size);
        Assert.True(ProofVerifier.VerifyInclusion(proof.LeafIndex, checkpoint.Size, ReferenceMerkle.Leaf(events[proof.LeafIndex]),
            proof.Hashes.Select(h => h.ToByteArray()).ToList(), checkpoint.RootHash));
    }

    [Fact]
    public async Task GetInclusionProof_BadPositions_AreInvalidArgumentOrOutOfRange()
    {
        var size = StoredEvents().Length;

        await AssertRefusedAsync(StatusCode.InvalidArgument, "leaf_index",
            () => InclusionAsync(new GetInclusionProofRequest { LeafIndex = 5, TreeSize = 5 }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "leaf_index",
            () => InclusionAsync(new GetInclusionProofRequest { LeafIndex = -1 }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "tree_size",
            () => InclusionAsync(new GetInclusionProofRequest { LeafIndex = 0, TreeSize = -1 }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "leaf",
            () => InclusionAsync(new GetInclusionProofRequest { TreeSize = 1 }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "certificate_number",
            () => InclusionAsync(new GetInclusionProofRequest { CertificateNumber = "DL-S01-2024-000001?" }));
        var beyond = await AssertRefusedAsync(StatusCode.OutOfRange, "tree_size",
            () => InclusionAsync(new GetInclusionProofRequest { LeafIndex = 0, TreeSize = size + 1 }));
        Assert.Equal("BEYOND_TREE_SIZE", beyond.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), beyond.GetDetail<ErrorInfo>()!.Metadata["limit"]);
        await AssertRefusedAsync(StatusCode.OutOfRange, "leaf_index",
            () => InclusionAsync(new GetInclusionProofRequest { LeafIndex = size }));
    }

    [Fact]
    public async Task GetInclusionProof_CertificateNotInTree_NotFoundOrOutOfRange()
    {
        var certificate = await Server.IssueAsync(9, Committee);
        var unknown = Core.Certificates.CertificateNumber.Format("DL-S01", 2024, 999);

        var missing = await Assert.ThrowsAsync<RpcException>(() => InclusionAsync(new GetInclusionProofRequest { CertificateNumber = unknown }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        await AssertRefusedAsync(StatusCode.OutOfRange, "tree_size",
            () => InclusionAsync(new GetInclusionProofRequest { CertificateNumber = certificate.Number, TreeSize = 3 }));
    }

    [Theory]
    [InlineData(null, StatusCode.Unauthenticated)]
    [InlineData(Role.Employer, StatusCode.PermissionDenied)]
    [InlineData(Role.Committee, StatusCode.PermissionDenied)]
    public async Task GetInclusionProofAndStreamEvents_NotPlatformOrAuthority_Refused(Role? role, StatusCode expected)
    {
        var token = role switch
        {
            null => null,
            Role.Committee => Committee,
            _ => await Server.AddPrincipalAsync("someone", role.Value),
        };

        var inclusion = await Assert.ThrowsAsync<RpcException>(() => InclusionAsync(new GetInclusionProofRequest { LeafIndex = 0 }, token));
        var stream = await Assert.ThrowsAsync<RpcException>(() => StreamAsync(new StreamEventsRequest(), token));
        var statistics = await Assert.ThrowsAsync<RpcException>(() =>
            Server.Ledger(token).GetStatisticsAsync(new GetStatisticsRequest()).ResponseAsync);

        Assert.Equal(expected, inclusion.StatusCode);
        Assert.Equal(expected, stream.StatusCode);
        Assert.Equal(expected, statistics.StatusCode);
        await InclusionAsync(new GetInclusionProofRequest { LeafIndex = 0 }, Server.AuthorityToken);
    }

    [Fact]
    public async Task GetConsistencyProof_Anonymous_AllSizePairsMatchTheReferenceAndVerify()
    {
        var leaves = ReferenceLeaves();
        var n = leaves.Length;
        foreach (var second in new[] { 0, 1, 2, 3, 8, 13, n - 1, n })
        {
            var newRoot = ReferenceMerkle.Mth(leaves, 0, second);
            for (var first = 0; first <= second; first++)
            {
                var proof = await ConsistencyAsync(first, second);

                var hashes = proof.Hashes.Select(h => h.ToByteArray()).ToList();
                var expected = first == 0 || first == second ? [] : ReferenceMerkle.Proof(first, leaves, second);
                Assert.Equal(expected, hashes);
                Assert.True(ProofVerifier.VerifyConsistency(first, second, ReferenceMerkle.Mth(leaves, 0, first), newRoot, hashes),
                    $"{first} -> {second}");
            }
        }
    }

    [Fact]
    public async Task GetConsistencyProof_BadSizes_AreInvalidArgumentOrOutOfRange()
    {
        var size = StoredEvents().Length;

        await AssertRefusedAsync(StatusCode.InvalidArgument, "first_tree_size", () => ConsistencyAsync(5, 4));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "first_tree_size", () => ConsistencyAsync(-1, 4));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "second_tree_size", () => ConsistencyAsync(0, -4));
        await AssertRefusedAsync(StatusCode.OutOfRange, "second_tree_size", () => ConsistencyAsync(1, size + 1));
        Assert.Empty((await ConsistencyAsync(size, size)).Hashes);
        Assert.Empty((await ConsistencyAsync(0, 0)).Hashes);
    }

    [Fact]
    public async Task StreamEvents_FromZero_SendsEveryEventAsStoredThenACheckpointCoveringThem()
    {
        var stored = StoredEvents();

        var messages = await StreamAsync(new StreamEventsRequest { BatchSize = 7 });

        var entries = messages.SelectMany(m => m.Entries).ToList();
        Assert.Equal(Enumerable.Range(0, stored.Length).Select(i => (long)i), entries.Select(e => e.LeafIndex));
        Assert.Equal(stored, entries.Select(e => e.Event.ToByteArray()));
        Assert.All(messages[..^1], m => Assert.InRange(m.Entries.Count, 1, 7));
        var last = messages[^1];
        Assert.Empty(last.Entries);
        Assert.Equal(stored.Length, last.NextIndex);
        var key = NoteVerifier.Parse((await CheckpointAsync()).VerifierKey);
        var checkpoint = Checkpoint.Open(last.Checkpoint.Note.Span, "credentials.example.cn/ledger", key);
        var range = new CompactRange();
        foreach (var entry in entries)
        {
            range.Append(MerkleHash.HashLeaf(entry.Event.Span));
        }
        Assert.Equal(checkpoint.Size, range.Size);
        Assert.Equal(checkpoint.RootHash.ToArray(), range.Root());
    }

    [Fact]
    public async Task StreamEvents_Filters_OnlyMatchingEventsAndTheFullCheckpoint()
    {
        var other = await Server.AddPrincipalAsync("dl-s02", Role.Committee, "DL-S02");
        await Server.Certificates(other).IssueCertificateAsync(CertificateFixtures.Issue("s02-1", person: 5, committee: "DL-S02", specialty: "计量"));
        var events = StoredEvents().Select((b, i) => (Index: (long)i, Event: LedgerEvent.Parser.ParseFrom(b))).ToList();

        var issued = await StreamAsync(new StreamEventsRequest { EventTypes = { LedgerEventType.CertificateIssued, LedgerEventType.CertificateIssued } });
        var ofS02 = await StreamAsync(new StreamEventsRequest { CommitteeCode = "dl-s02" });
        var issuedOfS01In2024 = await StreamAsync(new StreamEventsRequest
        {
            EventTypes = { LedgerEventType.CertificateIssued }, CommitteeCode = "DL-S01", ReviewYear = 2024,
        });
        var of2023 = await StreamAsync(new StreamEventsRequest { ReviewYear = 2023 });

        Assert.Equal(events.Where(e => e.Event.ChangeCase == LedgerEvent.ChangeOneofCase.CertificateIssued).Select(e => e.Index),
            issued.SelectMany(m => m.Entries).Select(e => e.LeafIndex));
        Assert.Equal(4, issued.SelectMany(m => m.Entries).Count());
        Assert.Equal(events.Where(e => e.Event.CommitteeCode == "DL-S02").Select(e => e.Index), ofS02.SelectMany(m => m.Entries).Select(e => e.LeafIndex));
        Assert.Equal(2, ofS02.SelectMany(m => m.Entries).Count()); // accredited, then one issued
        Assert.Equal(3, issuedOfS01In2024.SelectMany(m => m.Entries).Count());
        Assert.Single(of2023);
        Assert.All(new[] { issued, ofS02, issuedOfS01In2024, of2023 }, s => Assert.Equal(events.Count, s[^1].Checkpoint.TreeSize));
    }

    [Fact]
    public async Task StreamEvents_BrokenThenResumedFromNextIndex_DeliversEveryEventOnce()
    {
        var stored = StoredEvents();
        var received = new List<LedgerEntry>();
        long cursor;
        using (var broken = new CancellationTokenSource())
        {
            using var call = Server.Ledger(Platform).StreamEvents(new StreamEventsRequest { BatchSize = 3 }, cancellationToken: broken.Token);
            for (var i = 0; i < 2; i++)
            {
                Assert.True(await call.ResponseStream.MoveNext());
                received.AddRange(call.ResponseStream.Current.Entries);
            }
            cursor = call.ResponseStream.Current.NextIndex;
            await broken.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseStream.MoveNext());
        }
        await Server.IssueAsync(7, Committee);

        var resumed = await StreamAsync(new StreamEventsRequest { StartIndex = cursor, BatchSize = 3 });

        received.AddRange(resumed.SelectMany(m => m.Entries));
        Assert.Equal(6, cursor);
        Assert.Equal(stored.Length + 1, received.Count);
        Assert.Equal(Enumerable.Range(0, stored.Length + 1).Select(i => (long)i), received.Select(e => e.LeafIndex));
        Assert.Equal(stored, received.Take(stored.Length).Select(e => e.Event.ToByteArray()));
        Assert.Equal(stored.Length + 1, resumed[^1].Checkpoint.TreeSize);
    }

    [Fact]
    public async Task StreamEvents_EndIndexAndEmptyRange_EndAtThatSizeWithItsCheckpoint()
    {
        var stored = StoredEvents();

        var prefix = await StreamAsync(new StreamEventsRequest { EndIndex = 5 });
        var nothing = await StreamAsync(new StreamEventsRequest { StartIndex = stored.Length });

        Assert.Equal([0L, 1, 2, 3, 4], prefix.SelectMany(m => m.Entries).Select(e => e.LeafIndex));
        Assert.Equal(5, prefix[^1].Checkpoint.TreeSize);
        Assert.Equal(ReferenceMerkle.Mth(ReferenceLeaves(), 0, 5), prefix[^1].Checkpoint.RootHash.ToByteArray());
        var only = Assert.Single(nothing);
        Assert.Equal(stored.Length, only.Checkpoint.TreeSize);
    }

    [Fact]
    public async Task StreamEvents_BadRequests_AreRefusedNamingTheField()
    {
        var size = StoredEvents().Length;

        await AssertRefusedAsync(StatusCode.OutOfRange, "start_index", () => StreamAsync(new StreamEventsRequest { StartIndex = size + 1 }));
        await AssertRefusedAsync(StatusCode.OutOfRange, "end_index", () => StreamAsync(new StreamEventsRequest { EndIndex = size + 1 }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "start_index", () => StreamAsync(new StreamEventsRequest { StartIndex = 4, EndIndex = 3 }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "batch_size", () => StreamAsync(new StreamEventsRequest { BatchSize = 1001 }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "event_types[1]",
            () => StreamAsync(new StreamEventsRequest { EventTypes = { LedgerEventType.CertificateIssued, LedgerEventType.Unspecified } }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "event_types",
            () => StreamAsync(new StreamEventsRequest { EventTypes = { Enumerable.Repeat(LedgerEventType.CertificateIssued, 17) } }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "committee_code", () => StreamAsync(new StreamEventsRequest { CommitteeCode = "DL S01" }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "review_year", () => StreamAsync(new StreamEventsRequest { ReviewYear = 10000 }));
    }

    [Fact]
    public async Task LedgerEvents_AsStored_AreTheLeavesTheStoredNodesCommitTo()
    {
        // The stream sends what is stored, and what is stored is what the tree was built from.
        var leaves = ReferenceLeaves();
        using var connection = Server.Services.GetRequiredService<Database>().OpenReader();
        var root = LedgerRepository.Run(connection, NodePlan.Root(leaves.Length))[0];

        Assert.Equal(ReferenceMerkle.Mth(leaves, 0, leaves.Length), root);
        Assert.Equal(SHA256.HashData([0, .. StoredEvents()[0]]), leaves[0]);
    }
}

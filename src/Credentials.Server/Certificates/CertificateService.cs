using System.Diagnostics;
using Credentials.Core.Certificates;
using Credentials.Core.Committees;
using Credentials.Core.Identity;
using Credentials.Core.Integrity;
using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Audit;
using Credentials.Server.Common;
using Credentials.Server.Integrity;
using Credentials.Server.Keys;
using Credentials.Server.Security;
using Credentials.Server.Telemetry;
using Credentials.Store;
using Credentials.Store.Certificates;
using Credentials.Store.Idempotency;
using Credentials.Store.Keys;
using Credentials.Store.Writing;
using Credentials.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Data.Sqlite;

namespace Credentials.Server.Certificates;

/// <summary>credentials.v1.CertificateService: issuance inside the accredited scope, reading, revocation (撤销职称).</summary>
public sealed class CertificateService(Database database, StoreWriter writer, CertificateIssuer issuer, KeyRing keys, CallerIdentifiers identifiers,
    TimeProvider time, ServerMetrics metrics)
    : V1.CertificateService.CertificateServiceBase
{
    public const int MaxBatchItems = 1000;

    [Authorize(Policy = Policies.Issuers)]
    public override Task<IssueCertificateResponse> IssueCertificate(IssueCertificateRequest request, ServerCallContext context) =>
        MeasureAsync(Stopwatch.GetTimestamp(), IssueOneAsync(request, context), _ => 1);

    [Authorize(Policy = Policies.Issuers)]
    public override Task<BatchIssueCertificatesResponse> BatchIssueCertificates(BatchIssueCertificatesRequest request, ServerCallContext context) =>
        MeasureAsync(Stopwatch.GetTimestamp(), IssueBatchAsync(request, context), response => response.Certificates.Count);

    /// <summary>
    /// Issuance calls into credentials.issuance.duration by outcome, their certificates into
    /// credentials.certificates.issued (a retry answered from the idempotency record counts as issued).
    /// </summary>
    private async Task<T> MeasureAsync<T>(long started, Task<T> issuance, Func<T, int> certificates)
    {
        try
        {
            var response = await issuance;
            metrics.Issued(certificates(response), started);
            return response;
        }
        catch (Exception e)
        {
            metrics.IssuanceRefused(e, started);
            throw;
        }
    }

    private async Task<IssueCertificateResponse> IssueOneAsync(IssueCertificateRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        violations.AddIf("request_id", CallerIdentifiers.CheckRequestId(request.RequestId));
        var code = CommitteeCode.Normalize(request.CommitteeCode);
        violations.AddIf("committee_code", CommitteeCode.Check(code));
        var content = IssuanceRules.Validate(request.Spec, "spec.", ChinaCalendar.Today(time), violations);
        violations.ThrowIfAny();
        CommitteeBinding.EnsureActsFor(caller, code);

        var numbers = await issuer.IssueAsync(new CertificateIssuer.Request(caller, context.Audit(), nameof(IssueCertificate), request.RequestId,
            code, [new CertificateIssuer.Item(content!, "spec")], 0), context.CancellationToken);
        return new IssueCertificateResponse { Certificate = Read(numbers[0]) };
    }

    private async Task<BatchIssueCertificatesResponse> IssueBatchAsync(BatchIssueCertificatesRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        violations.AddIf("request_id", CallerIdentifiers.CheckRequestId(request.RequestId));
        var code = CommitteeCode.Normalize(request.CommitteeCode);
        violations.AddIf("committee_code", CommitteeCode.Check(code));
        if (request.Items.Count is 0 or > MaxBatchItems)
        {
            violations.Add("items", $"must have 1 to {MaxBatchItems} entries");
        }
        if (request.ReviewedCount < 0 || (request.ReviewedCount > 0 && request.ReviewedCount < request.Items.Count))
        {
            violations.Add("reviewed_count", "must be 0 (not given) or at least the number of items");
        }
        var today = ChinaCalendar.Today(time);
        var items = new List<CertificateIssuer.Item>();
        for (var i = 0; i < request.Items.Count && i < MaxBatchItems; i++)
        {
            if (IssuanceRules.Validate(request.Items[i], $"items[{i}].", today, violations) is { } content)
            {
                items.Add(new CertificateIssuer.Item(content, $"items[{i}]"));
            }
        }
        violations.ThrowIfAny();
        CommitteeBinding.EnsureActsFor(caller, code);

        var numbers = await issuer.IssueAsync(new CertificateIssuer.Request(caller, context.Audit(), nameof(BatchIssueCertificates), request.RequestId,
            code, items, request.ReviewedCount), context.CancellationToken);
        var response = new BatchIssueCertificatesResponse();
        response.Certificates.AddRange(ReadMany(numbers));
        return response;
    }

    [Authorize(Policy = Policies.RecordReaders)]
    public override Task<GetCertificateResponse> GetCertificate(GetCertificateRequest request, ServerCallContext context)
    {
        var number = ParseNumber(request.Number, "number");
        CommitteeBinding.EnsureActsFor(context.RequireCaller(), number.CommitteeCode);
        return Task.FromResult(new GetCertificateResponse { Certificate = Read(number.Number) });
    }

    [Authorize(Policy = Policies.RecordReaders)]
    public override Task<ListCertificatesResponse> ListCertificates(ListCertificatesRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        var pageSize = Paging.PageSize(request.PageSize, violations);
        var code = CommitteeCode.Normalize(request.CommitteeCode);
        if (code.Length > 0)
        {
            violations.AddIf("committee_code", CommitteeCode.Check(code));
        }
        if (request.ReviewYear is < 0 or > 9999)
        {
            violations.Add("review_year", "must be 0 (all) or a year");
        }
        if (!Enum.IsDefined(request.State))
        {
            violations.Add("state", "must be a defined certificate state");
        }
        if (!Enum.IsDefined(request.Level))
        {
            violations.Add("level", "must be a defined title level");
        }
        if (caller.Role == Role.Committee)
        {
            // A committee lists its own certificates only, whatever it asks for.
            if (code.Length > 0)
            {
                CommitteeBinding.EnsureActsFor(caller, code);
            }
            code = caller.CommitteeCode!;
        }
        var filters = $"{code}|{request.ReviewYear}|{(int)request.State}|{(int)request.Level}";
        var after = Paging.After(request.PageToken, filters, violations);
        violations.ThrowIfAny();

        using var connection = database.OpenReader();
        var page = CertificateRepository.List(connection, after, pageSize + 1, code, request.ReviewYear, request.State, request.Level);
        var response = new ListCertificatesResponse();
        response.Certificates.AddRange(page.Take(pageSize).Select(CertificateMapping.ToProto));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Number, filters);
        }
        return Task.FromResult(response);
    }

    [Authorize(Policy = Policies.Issuers)]
    public override async Task<RevokeCertificateResponse> RevokeCertificate(RevokeCertificateRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        var number = CertificateNumber.Parse(request.Number, out var error);
        violations.AddIf("number", error);
        var (revocation, effective) = CertificateRevocation.Validate(request.Revocation, ChinaCalendar.Today(time), "revocation.", violations);
        var finding = MisconductRules.ValidateFinding(revocation.Reason, request.Misconduct, "misconduct.", violations);
        if (request.RequestId.Length > 0)
        {
            violations.AddIf("request_id", CallerIdentifiers.CheckRequestId(request.RequestId));
        }
        violations.ThrowIfAny();
        CommitteeBinding.EnsureActsFor(caller, number!.CommitteeCode);

        // With a request id, a retry is answered from the first revocation (an effective date left open
        // is today's, so the hash keeps it open: a retry on another day is the same request).
        var requested = Dates.IsEmpty(request.Revocation?.EffectiveDate) ? (DateOnly?)null : effective;
        var idempotency = request.RequestId.Length == 0 ? null : new Idempotency(caller.Name, identifiers.ForStorage(request.RequestId),
            RequestIds.Hash(new { number.Number, revocation.Reason, revocation.Details, revocation.DecisionDocument, requested, finding }));
        if (idempotency is not null)
        {
            using var connection = database.OpenReader();
            if (idempotency.Replay(connection, null) is not null)
            {
                return new RevokeCertificateResponse { Certificate = Read(number.Number) };
            }
        }
        await writer.ExecuteAsync(context.Audit(), tx =>
        {
            if (idempotency?.Replay(tx.Connection, tx.Transaction) is not null)
            {
                return false;
            }
            if (finding is null)
            {
                CertificateRevocation.Revoke(tx, number.Number, revocation, effective, caller.Name, "revocation.effective_date");
            }
            else
            {
                // Fraud: the holder's misconduct record, which revokes the certificate (the one path RecordMisconduct takes too).
                MisconductRecorder.RevokeForFraud(tx, number.Number, revocation, effective, finding, caller.Name);
            }
            idempotency?.Insert(tx, number.Number);
            return true;
        }, context.CancellationToken);
        return new RevokeCertificateResponse { Certificate = Read(number.Number) };
    }

    [Authorize(Policy = Policies.Issuers)]
    public override async Task<ReissueCertificateResponse> ReissueCertificate(ReissueCertificateRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        var number = CertificateNumber.Parse(request.Number, out var error);
        violations.AddIf("number", error);
        var reason = Text.Normalize(request.Reason);
        violations.AddIf("reason", Text.Check(reason, 1, 500));
        violations.ThrowIfAny();
        CommitteeBinding.EnsureActsFor(caller, number!.CommitteeCode);

        // One retry: the key may have been rotated or compromised since it was read.
        for (var attempt = 0; ; attempt++)
        {
            var key = keys.Active;
            try
            {
                await writer.ExecuteAsync(context.Audit(), tx =>
                {
                    CertificateReissue.Reissue(tx, number.Number, reason, key, caller.Name);
                    return true;
                }, context.CancellationToken);
                return new ReissueCertificateResponse { Certificate = Read(number.Number) };
            }
            catch (SigningKeyChangedException) when (attempt == 0)
            {
                keys.Reload();
            }
        }
    }

    /// <summary>A revocation's request id as stored, and the hash of what was asked.</summary>
    private sealed record Idempotency(string Principal, string RequestId, byte[] RequestHash)
    {
        public string? Replay(SqliteConnection connection, SqliteTransaction? transaction) =>
            RequestIds.Replay(IdempotencyRepository.Find(connection, Principal, nameof(RevokeCertificate), RequestId, transaction), RequestHash);

        public void Insert(WriteTransaction tx, string number) =>
            IdempotencyRepository.Insert(tx.Connection, tx.Transaction, Principal, nameof(RevokeCertificate), RequestId, RequestHash, number, tx.Now);
    }

    private static ParsedCertificateNumber ParseNumber(string text, string field) =>
        CertificateNumber.Parse(text, out var error) ?? throw new InvalidRequestException(field, error!);

    private Certificate Read(string number)
    {
        using var connection = database.OpenReader();
        return CertificateMapping.ToProto(CertificateRepository.Get(connection, number) ?? throw new NotFoundException("certificate", number));
    }

    private List<Certificate> ReadMany(IEnumerable<string> numbers)
    {
        using var connection = database.OpenReader();
        return numbers.Select(n => CertificateMapping.ToProto(CertificateRepository.Get(connection, n)!)).ToList();
    }
}

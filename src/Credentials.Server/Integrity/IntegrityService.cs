using Credentials.Core.Certificates;
using Credentials.Core.Committees;
using Credentials.Core.Identity;
using Credentials.Core.Integrity;
using Credentials.Core.Policy;
using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Audit;
using Credentials.Server.Common;
using Credentials.Server.Security;
using Credentials.Server.Verification;
using Credentials.Store;
using Credentials.Store.Idempotency;
using Credentials.Store.Integrity;
using Credentials.Store.Writing;
using Credentials.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Credentials.Server.Integrity;

/// <summary>
/// credentials.v1.IntegrityService: the integrity record (职称评审诚信档案库). Whether a record is
/// active is computed on every read from the clock and the policy profile's period.
/// </summary>
public sealed class IntegrityService(Database database, StoreWriter writer, HolderDigests digests, CallerIdentifiers identifiers, PolicyProfile policy,
    TimeProvider time, VerificationRateLimiter limiter) : V1.IntegrityService.IntegrityServiceBase
{
    [Authorize(Policy = Policies.Issuers)]
    public override async Task<RecordMisconductResponse> RecordMisconduct(RecordMisconductRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        violations.AddIf("request_id", CallerIdentifiers.CheckRequestId(request.RequestId));
        var content = MisconductRules.Validate(request.Record, "record.", ChinaCalendar.Today(time), violations);
        violations.ThrowIfAny();
        if (caller.Role == Role.Committee)
        {
            // A committee records subjects of its own reviews: the record names it, and it revokes only its own certificates.
            CommitteeBinding.EnsureActsFor(caller, content!.CommitteeCode.Length == 0 ? caller.CommitteeCode! : content.CommitteeCode);
            foreach (var number in content.CertificateNumbers)
            {
                CommitteeBinding.EnsureActsFor(caller, CertificateNumber.Parse(number, out _)!.CommitteeCode);
            }
            content = content with { CommitteeCode = caller.CommitteeCode! };
        }
        var requestId = identifiers.ForStorage(request.RequestId);
        var digest = digests.Lookup(content!.Subject.DocumentType, content.Subject.DocumentNumber);
        // The record as the server understood it, the subject's document by its keyed digest.
        var hash = RequestIds.Hash(content with { Subject = content.Subject with { DocumentNumber = Convert.ToHexString(digest) } });
        using (var connection = database.OpenReader())
        {
            if (RequestIds.Replay(IdempotencyRepository.Find(connection, caller.Name, nameof(RecordMisconduct), requestId), hash) is { } replayed)
            {
                return new RecordMisconductResponse { Record = Read(replayed) };
            }
        }

        var id = await writer.ExecuteAsync(context.Audit(), tx =>
        {
            var previous = IdempotencyRepository.Find(tx.Connection, caller.Name, nameof(RecordMisconduct), requestId, tx.Transaction);
            if (RequestIds.Replay(previous, hash) is { } replayed)
            {
                return replayed;
            }
            var recorded = MisconductRecorder.Record(tx, content, digest, caller.Name);
            IdempotencyRepository.Insert(tx.Connection, tx.Transaction, caller.Name, nameof(RecordMisconduct), requestId, hash, recorded, tx.Now);
            return recorded;
        }, context.CancellationToken);
        return new RecordMisconductResponse { Record = Read(id) };
    }

    [Authorize(Policy = Policies.Authority)]
    public override async Task<RescindMisconductResponse> RescindMisconduct(RescindMisconductRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        var id = MisconductRecordId.Normalize(request.Id);
        violations.AddIf("id", MisconductRecordId.Check(id));
        var (rescission, decided) = MisconductRules.ValidateRescission(request.Rescission, ChinaCalendar.Today(time), "rescission.", violations);
        violations.ThrowIfAny();

        await writer.ExecuteAsync(context.Audit(), tx =>
        {
            MisconductRecorder.Rescind(tx, id, rescission, decided, caller.Name);
            return true;
        }, context.CancellationToken);
        return new RescindMisconductResponse { Record = Read(id) };
    }

    /// <summary>
    /// Not for employers: an employer learns a person's integrity status only from a share code the person made with
    /// it included (HolderService.CreateShareCode, VerificationService.VerifyShareCode), never by ID number.
    /// </summary>
    [Authorize(Policy = Policies.RecordReaders)]
    [RefusalHint("An employer learns a person's integrity status only from a share code the holder made with it included (VerifyShareCode).")]
    public override Task<GetIntegrityStatusResponse> GetIntegrityStatus(GetIntegrityStatusRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        // Whoever could probe ID numbers here shares the verification limit (committees, when configured).
        limiter.Acquire(context);
        var today = ChinaCalendar.Today(time);
        var violations = new Violations();
        var number = MisconductRules.ValidateDocument(request.DocumentType, request.DocumentNumber, "", today, violations);
        CheckDefined(request.Role, "role", violations);
        violations.ThrowIfAny();

        using var connection = database.OpenReader();
        var records = IntegrityRepository.BySubject(connection, digests.Lookup(request.DocumentType, number), request.Role)
            .Select(r => MisconductMapping.ToProto(r, policy.MisconductRecordYears, today)).ToList();
        var active = records.Where(r => r.State == MisconductState.Active).ToList();
        var response = new GetIntegrityStatusResponse { HasActiveRecord = active.Count > 0 };
        response.Categories.AddRange(active.Select(r => r.Type).Distinct().Order());
        // A committee sees its own committee's records.
        response.Records.AddRange(caller.Role switch
        {
            Role.Authority or Role.Platform => records,
            Role.Committee => records.Where(r => r.CommitteeCode == caller.CommitteeCode),
            _ => [],
        });
        return Task.FromResult(response);
    }

    [Authorize(Policy = Policies.RecordReaders)]
    public override Task<ListMisconductResponse> ListMisconduct(ListMisconductRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        var pageSize = Paging.PageSize(request.PageSize, violations);
        CheckDefined(request.Role, "role", violations);
        CheckDefined(request.Type, "type", violations);
        CheckDefined(request.State, "state", violations);
        var code = CommitteeCode.Normalize(request.CommitteeCode);
        if (code.Length > 0)
        {
            violations.AddIf("committee_code", CommitteeCode.Check(code));
        }
        var from = OptionalDate(request.DecisionDateFrom, "decision_date_from", violations);
        var until = OptionalDate(request.DecisionDateUntil, "decision_date_until", violations);
        if (from > until)
        {
            violations.Add("decision_date_until", "must not be before decision_date_from");
        }
        if (caller.Role == Role.Committee)
        {
            // A committee lists its own committee's records only, whatever it asks for.
            if (code.Length > 0)
            {
                CommitteeBinding.EnsureActsFor(caller, code);
            }
            code = caller.CommitteeCode!;
        }
        var filter = new MisconductFilter(request.Role, request.Type, code, request.State, from, until);
        var filters = $"{(int)filter.Role}|{(int)filter.Type}|{code}|{(int)filter.State}|{Iso(from)}|{Iso(until)}";
        var after = Paging.After(request.PageToken, filters, violations);
        violations.ThrowIfAny();

        var today = ChinaCalendar.Today(time);
        using var connection = database.OpenReader();
        var page = IntegrityRepository.List(connection, after, pageSize + 1, filter,
            MisconductWindow.EarliestActiveDecision(today, policy.MisconductRecordYears));
        var response = new ListMisconductResponse();
        response.Records.AddRange(page.Take(pageSize).Select(r => MisconductMapping.ToProto(r, policy.MisconductRecordYears, today)));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Id, filters);
        }
        return Task.FromResult(response);
    }

    /// <summary>Filters take any defined value, unspecified meaning all.</summary>
    private static void CheckDefined<TEnum>(TEnum value, string field, Violations violations)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            violations.Add(field, $"must be a defined {typeof(TEnum).Name} value or unspecified");
        }
    }

    private static DateOnly? OptionalDate(Google.Type.Date? date, string field, Violations violations)
    {
        if (Dates.IsEmpty(date))
        {
            return null;
        }
        var value = Dates.ToDateOnly(date);
        if (value is null)
        {
            violations.Add(field, "must be a valid date or empty");
        }
        return value;
    }

    private static string Iso(DateOnly? date) => date is { } d ? Dates.ToIso(d) : "";

    private MisconductRecord Read(string id)
    {
        using var connection = database.OpenReader();
        var stored = IntegrityRepository.Get(connection, id) ?? throw new NotFoundException("misconduct record", id);
        return MisconductMapping.ToProto(stored, policy.MisconductRecordYears, ChinaCalendar.Today(time));
    }
}

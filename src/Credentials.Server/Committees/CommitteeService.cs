using Credentials.Core.Committees;
using Credentials.Core.Identity;
using Credentials.Core.Policy;
using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Audit;
using Credentials.Server.Common;
using Credentials.Server.Security;
using Credentials.Store;
using Credentials.Store.Committees;
using Credentials.Store.Idempotency;
using Credentials.Store.Writing;
using Credentials.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Server.Committees;

/// <summary>
/// credentials.v1.CommitteeService: accreditation (核准备案) with its renewals and changes of scope,
/// suspension, restoration, withdrawal. Whether an accreditation is in force is computed on every
/// read from the clock.
/// </summary>
public sealed class CommitteeService(Database database, StoreWriter writer, CallerIdentifiers identifiers, PolicyProfile policy, TimeProvider time)
    : V1.CommitteeService.CommitteeServiceBase
{
    [Authorize(Policy = Policies.Authority)]
    public override async Task<CreateCommitteeResponse> CreateCommittee(CreateCommitteeRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        violations.AddIf("request_id", CallerIdentifiers.CheckRequestId(request.RequestId));
        var committee = CommitteeMapping.FromProto(request.Committee, time.GetUtcNow(), violations);
        violations.ThrowIfAny();
        AccreditationRules.CheckValidity(committee.Code, committee.AccreditedFrom, committee.AccreditedUntil, policy.AccreditationMaxYears);
        var requestId = identifiers.ForStorage(request.RequestId);
        // The committee as accredited, without the clock's reading: what a retry must repeat.
        var hash = RequestIds.Hash(new
        {
            committee.Code, committee.Name, committee.Organizer, committee.Region, committee.Series, committee.Specialties, committee.Levels,
            committee.AccreditedFrom, committee.AccreditedUntil, committee.MeetingSchedule,
        });

        var code = await writer.ExecuteAsync(context.Audit(), tx =>
        {
            var previous = IdempotencyRepository.Find(tx.Connection, caller.Name, nameof(CreateCommittee), requestId, tx.Transaction);
            if (RequestIds.Replay(previous, hash) is { } replayed)
            {
                return replayed;
            }
            if (CommitteeRepository.Get(tx.Connection, committee.Code, tx.Transaction) is not null)
            {
                throw new AlreadyExistsException("COMMITTEE_EXISTS", $"Committee {committee.Code} exists already.");
            }
            var created = CommitteeAccreditation.Accredit(tx, committee, caller.Name);
            IdempotencyRepository.Insert(tx.Connection, tx.Transaction, caller.Name, nameof(CreateCommittee), requestId, hash, created.Code, tx.Now);
            return created.Code;
        }, context.CancellationToken);
        return new CreateCommitteeResponse { Committee = ReadProto(code) };
    }

    [Authorize(Policy = Policies.AnyPrincipal)]
    public override Task<GetCommitteeResponse> GetCommittee(GetCommitteeRequest request, ServerCallContext context)
    {
        var code = CommitteeCode.Normalize(request.Code);
        var violations = new Violations();
        violations.AddIf("code", CommitteeCode.Check(code));
        violations.ThrowIfAny();
        CommitteeBinding.EnsureActsFor(context.RequireCaller(), code);
        return Task.FromResult(new GetCommitteeResponse { Committee = ReadProto(code) });
    }

    [Authorize(Policy = Policies.AnyPrincipal)]
    public override Task<ListCommitteesResponse> ListCommittees(ListCommitteesRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        var pageSize = Paging.PageSize(request.PageSize, violations);
        if (!Enum.IsDefined(request.State))
        {
            violations.Add("state", "must be a defined committee state");
        }
        var series = Text.Normalize(request.Series);
        violations.AddIf("series", Text.Check(series, 0, 50));
        if (!Enum.IsDefined(request.AccreditationStatus))
        {
            violations.Add("accreditation_status", "must be a defined accreditation status");
        }
        var filters = $"{(int)request.State}|{series}|{(int)request.AccreditationStatus}";
        var after = Paging.After(request.PageToken, filters, violations);
        violations.ThrowIfAny();

        var today = ChinaCalendar.Today(time);
        var response = new ListCommitteesResponse();
        if (caller.Role == Role.Committee)
        {
            // A committee sees itself only.
            var own = Read(caller.CommitteeCode!);
            if (string.CompareOrdinal(own.Code, after) > 0 && (request.State == CommitteeState.Unspecified || own.State == request.State)
                && (series.Length == 0 || own.Series == series)
                && (request.AccreditationStatus == AccreditationStatus.Unspecified || own.AccreditationOn(today) == request.AccreditationStatus))
            {
                response.Committees.Add(CommitteeMapping.ToProto(own, today));
            }
            return Task.FromResult(response);
        }
        using var connection = database.OpenReader();
        var page = CommitteeRepository.List(connection, after, pageSize + 1, request.State, series, request.AccreditationStatus, today);
        response.Committees.AddRange(page.Take(pageSize).Select(c => CommitteeMapping.ToProto(c, today)));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Code, filters);
        }
        return Task.FromResult(response);
    }

    [Authorize(Policy = Policies.Authority)]
    public override async Task<SuspendCommitteeResponse> SuspendCommittee(SuspendCommitteeRequest request, ServerCallContext context) =>
        new() { Committee = await ChangeStateAsync(request.Code, CommitteeState.Suspended, request.Reason, request.DecisionDocument, request.EffectiveDate, context) };

    [Authorize(Policy = Policies.Authority)]
    public override async Task<RestoreCommitteeResponse> RestoreCommittee(RestoreCommitteeRequest request, ServerCallContext context) =>
        new() { Committee = await ChangeStateAsync(request.Code, CommitteeState.Active, request.Reason, request.DecisionDocument, request.EffectiveDate, context) };

    [Authorize(Policy = Policies.Authority)]
    public override async Task<WithdrawCommitteeAuthorityResponse> WithdrawCommitteeAuthority(WithdrawCommitteeAuthorityRequest request, ServerCallContext context) =>
        new() { Committee = await ChangeStateAsync(request.Code, CommitteeState.Withdrawn, request.Reason, request.DecisionDocument, request.EffectiveDate, context) };

    private async Task<V1.Committee> ChangeStateAsync(string rawCode, CommitteeState target, string rawReason, string rawDocument,
        Google.Type.Date? rawEffective, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var today = ChinaCalendar.Today(time);
        var code = CommitteeCode.Normalize(rawCode);
        var reason = Text.Normalize(rawReason);
        var document = Text.Normalize(rawDocument);
        var violations = new Violations();
        violations.AddIf("code", CommitteeCode.Check(code));
        violations.AddIf("reason", Text.Check(reason, 1, 500));
        violations.AddIf("decision_document", Text.Check(document, 1, 100));
        var effective = Dates.IsEmpty(rawEffective) ? today : Dates.ToDateOnly(rawEffective);
        if (effective is null)
        {
            violations.Add("effective_date", "must be a valid date");
        }
        else if (effective > today)
        {
            violations.Add("effective_date", "must not be in the future");
        }
        violations.ThrowIfAny();

        await writer.ExecuteAsync(context.Audit(), tx =>
        {
            var committee = CommitteeRepository.Get(tx.Connection, code, tx.Transaction) ?? throw new NotFoundException("committee", code);
            CommitteeRules.CheckTransition(code, committee.State, target);
            var change = new CommitteeStateChange(target, reason, document, effective!.Value, tx.Now, caller.Name);
            CommitteeRepository.AppendStateChange(tx.Connection, tx.Transaction, code, change);
            tx.Ledger.Append(new LedgerEvent
            {
                CommitteeCode = code,
                CommitteeStateChanged = new CommitteeStateChanged { Code = code, Change = CommitteeMapping.ToProto(change) },
            }, caller.Name);
            return true;
        }, context.CancellationToken);
        return ReadProto(code);
    }

    [Authorize(Policy = Policies.Authority)]
    public override async Task<UpdateCommitteeScopeResponse> UpdateCommitteeScope(UpdateCommitteeScopeRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        violations.AddIf("request_id", CallerIdentifiers.CheckRequestId(request.RequestId));
        var code = CommitteeCode.Normalize(request.Code);
        violations.AddIf("code", CommitteeCode.Check(code));
        var scope = CommitteeMapping.ScopeFromProto(request.Scope, ChinaCalendar.Today(time), violations);
        violations.ThrowIfAny();

        // An effective date left open is today's, and a retry on another day is still the same request.
        var requested = Dates.IsEmpty(request.Scope?.EffectiveDate) ? (DateOnly?)null : scope.EffectiveDate;
        var change = new Change(caller.Name, nameof(UpdateCommitteeScope), identifiers.ForStorage(request.RequestId),
            RequestIds.Hash(new { code, scope.Series, scope.Specialties, scope.Levels, scope.DecisionDocument, requested }));
        await ChangeAsync(change, code, context, (tx, committee) =>
        {
            var recorded = scope with { RecordedAt = tx.Now, RecordedBy = caller.Name };
            AccreditationRules.CheckScopeUpdate(committee, recorded);
            CommitteeRepository.AppendScope(tx.Connection, tx.Transaction, code, recorded);
            return new LedgerEvent { CommitteeScopeUpdated = new CommitteeScopeUpdated { Code = code, Scope = CommitteeMapping.ToProto(recorded) } };
        });
        return new UpdateCommitteeScopeResponse { Committee = ReadProto(code) };
    }

    [Authorize(Policy = Policies.Authority)]
    public override async Task<RenewCommitteeAccreditationResponse> RenewCommitteeAccreditation(RenewCommitteeAccreditationRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        violations.AddIf("request_id", CallerIdentifiers.CheckRequestId(request.RequestId));
        var code = CommitteeCode.Normalize(request.Code);
        violations.AddIf("code", CommitteeCode.Check(code));
        var (document, from, until) = CommitteeMapping.RenewalFromProto(request.Accreditation, violations);
        violations.ThrowIfAny();

        // The first day left open is the committee's business, found in the writer; the hash keeps it open.
        var change = new Change(caller.Name, nameof(RenewCommitteeAccreditation), identifiers.ForStorage(request.RequestId),
            RequestIds.Hash(new { code, document, from, until }));
        await ChangeAsync(change, code, context, (tx, committee) =>
        {
            var validFrom = from ?? AccreditationRules.DefaultRenewalStart(committee, ChinaCalendar.DateOf(tx.Now));
            if (until < validFrom)
            {
                throw new InvalidRequestException("accreditation.valid_until", $"must not be before the renewal's first day {Dates.ToIso(validFrom)}");
            }
            AccreditationRules.CheckRenewal(committee, validFrom, until, policy.AccreditationMaxYears);
            var window = new AccreditationWindow(validFrom, until, document, tx.Now, caller.Name);
            CommitteeRepository.AppendAccreditation(tx.Connection, tx.Transaction, code, window);
            return new LedgerEvent
            {
                CommitteeAccreditationRenewed = new CommitteeAccreditationRenewed { Code = code, Accreditation = CommitteeMapping.ToProto(window) },
            };
        });
        return new RenewCommitteeAccreditationResponse { Committee = ReadProto(code) };
    }

    /// <summary>An idempotent change: who asks, by which method, under which request id (as stored), with which content hash.</summary>
    private sealed record Change(string Principal, string Method, string RequestId, byte[] Hash);

    /// <summary>
    /// Runs <paramref name="apply"/> on the stored committee in the writer and appends the ledger event it
    /// returns, unless the request id was seen (checked before and again inside the write); records the id.
    /// </summary>
    private async Task ChangeAsync(Change change, string code, ServerCallContext context, Func<WriteTransaction, Committee, LedgerEvent> apply)
    {
        using (var connection = database.OpenReader())
        {
            if (RequestIds.Replay(IdempotencyRepository.Find(connection, change.Principal, change.Method, change.RequestId), change.Hash) is not null)
            {
                return;
            }
        }
        await writer.ExecuteAsync(context.Audit(), tx =>
        {
            var previous = IdempotencyRepository.Find(tx.Connection, change.Principal, change.Method, change.RequestId, tx.Transaction);
            if (RequestIds.Replay(previous, change.Hash) is not null)
            {
                return false;
            }
            var committee = CommitteeRepository.Get(tx.Connection, code, tx.Transaction) ?? throw new NotFoundException("committee", code);
            var ledgerEvent = apply(tx, committee);
            ledgerEvent.CommitteeCode = code;
            tx.Ledger.Append(ledgerEvent, change.Principal);
            IdempotencyRepository.Insert(tx.Connection, tx.Transaction, change.Principal, change.Method, change.RequestId, change.Hash, code, tx.Now);
            return true;
        }, context.CancellationToken);
    }

    private V1.Committee ReadProto(string code) => CommitteeMapping.ToProto(Read(code), ChinaCalendar.Today(time));

    private Committee Read(string code)
    {
        using var connection = database.OpenReader();
        return CommitteeRepository.Get(connection, code) ?? throw new NotFoundException("committee", code);
    }
}

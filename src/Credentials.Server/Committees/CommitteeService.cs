using Credentials.Core.Committees;
using Credentials.Core.Identity;
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

/// <summary>credentials.v1.CommitteeService: accreditation (核准备案), suspension, restoration, withdrawal.</summary>
public sealed class CommitteeService(Database database, StoreWriter writer, CallerIdentifiers identifiers, TimeProvider time) : V1.CommitteeService.CommitteeServiceBase
{
    [Authorize(Policy = Policies.Authority)]
    public override async Task<CreateCommitteeResponse> CreateCommittee(CreateCommitteeRequest request, ServerCallContext context)
    {
        var caller = context.RequireCaller();
        var violations = new Violations();
        violations.AddIf("request_id", CallerIdentifiers.CheckRequestId(request.RequestId));
        var committee = CommitteeMapping.FromProto(request.Committee, time.GetUtcNow(), violations);
        violations.ThrowIfAny();
        var requestId = identifiers.ForStorage(request.RequestId);
        // The committee as accredited, without the clock's reading: what a retry must repeat.
        var hash = RequestIds.Hash(committee with { CreatedAt = default, UpdatedAt = default });

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
        return new CreateCommitteeResponse { Committee = CommitteeMapping.ToProto(Read(code)) };
    }

    [Authorize(Policy = Policies.AnyPrincipal)]
    public override Task<GetCommitteeResponse> GetCommittee(GetCommitteeRequest request, ServerCallContext context)
    {
        var code = CommitteeCode.Normalize(request.Code);
        var violations = new Violations();
        violations.AddIf("code", CommitteeCode.Check(code));
        violations.ThrowIfAny();
        CommitteeBinding.EnsureActsFor(context.RequireCaller(), code);
        return Task.FromResult(new GetCommitteeResponse { Committee = CommitteeMapping.ToProto(Read(code)) });
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
        var filters = $"{(int)request.State}|{series}";
        var after = Paging.After(request.PageToken, filters, violations);
        violations.ThrowIfAny();

        var response = new ListCommitteesResponse();
        if (caller.Role == Role.Committee)
        {
            // A committee sees itself only.
            var own = Read(caller.CommitteeCode!);
            if (string.CompareOrdinal(own.Code, after) > 0 && (request.State == CommitteeState.Unspecified || own.State == request.State)
                && (series.Length == 0 || own.Series == series))
            {
                response.Committees.Add(CommitteeMapping.ToProto(own));
            }
            return Task.FromResult(response);
        }
        using var connection = database.OpenReader();
        var page = CommitteeRepository.List(connection, after, pageSize + 1, request.State, series);
        response.Committees.AddRange(page.Take(pageSize).Select(CommitteeMapping.ToProto));
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
        return CommitteeMapping.ToProto(Read(code));
    }

    private Committee Read(string code)
    {
        using var connection = database.OpenReader();
        return CommitteeRepository.Get(connection, code) ?? throw new NotFoundException("committee", code);
    }
}

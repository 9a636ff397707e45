using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Credentials.Core.Certificates;
using Credentials.Core.Policy;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Audit;
using Credentials.Server.Certificates;
using Credentials.Server.Common;
using Credentials.Server.Integrity;
using Credentials.Server.Security;
using Credentials.Store;
using Credentials.Store.Certificates;
using Credentials.Store.Holders;
using Credentials.Store.Integrity;
using Credentials.Store.Verification;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Credentials.Server.Holders;

/// <summary>
/// credentials.v1.HolderService: the certificate holder's own place (持证人). The caller is the holder whose keyed
/// HMAC their token gave (<see cref="HolderSignIn"/>); every read is by that HMAC, so a holder sees only their own.
/// </summary>
public sealed class HolderService(Database database, ShareCodes codes, PolicyProfile policy, TimeProvider time) : V1.HolderService.HolderServiceBase
{
    [Authorize(Policy = Policies.Holder)]
    public override Task<GetMeResponse> GetMe(GetMeRequest request, ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        var response = new GetMeResponse
        {
            Holder = new Holder
            {
                Name = user.FindFirstValue(HolderSignIn.NameClaim) ?? "",
                DocumentType = (DocumentType)int.Parse(user.FindFirstValue(HolderSignIn.DocumentTypeClaim)!, CultureInfo.InvariantCulture),
                DocumentMasked = user.FindFirstValue(HolderSignIn.MaskedClaim) ?? "",
            },
            TokenExpireTime = Timestamp.FromDateTimeOffset(
                DateTimeOffset.FromUnixTimeSeconds(long.Parse(user.FindFirstValue(HolderSignIn.ExpiresClaim)!, CultureInfo.InvariantCulture))),
        };
        return Task.FromResult(response);
    }

    [Authorize(Policy = Policies.Holder)]
    public override Task<ListMyCertificatesResponse> ListMyCertificates(ListMyCertificatesRequest request, ServerCallContext context)
    {
        var holder = context.RequireCaller();
        var violations = new Violations();
        var pageSize = Paging.PageSize(request.PageSize, violations);
        var after = Paging.After(request.PageToken, "", violations);
        violations.ThrowIfAny();

        using var connection = database.OpenReader();
        var page = CertificateRepository.ListByHolder(connection, holder.HolderDigest!, after, pageSize + 1);
        var response = new ListMyCertificatesResponse();
        response.Certificates.AddRange(page.Take(pageSize).Select(c => HolderMapping.ForHolder(CertificateMapping.ToProto(c))));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Number, "");
        }
        return Task.FromResult(response);
    }

    [Authorize(Policy = Policies.Holder)]
    public override Task<GetMyCertificateResponse> GetMyCertificate(GetMyCertificateRequest request, ServerCallContext context)
    {
        var holder = context.RequireCaller();
        var number = CertificateNumber.Parse(request.Number, out var error) ?? throw new InvalidRequestException("number", error!);
        using var connection = database.OpenReader();
        ShareCodes.EnsureHolds(connection, null, holder, number.Number);
        var certificate = CertificateRepository.Get(connection, number.Number)!;
        return Task.FromResult(new GetMyCertificateResponse { Certificate = HolderMapping.ForHolder(CertificateMapping.ToProto(certificate)) });
    }

    [Authorize(Policy = Policies.Holder)]
    public override async Task<CreateShareCodeResponse> CreateShareCode(CreateShareCodeRequest request, ServerCallContext context)
    {
        var (stored, code) = await codes.CreateAsync(context.RequireCaller(), request, context.Audit(), context.CancellationToken);
        return new CreateShareCodeResponse { ShareCode = HolderMapping.ToProto(stored, time.GetUtcNow()), Code = code };
    }

    [Authorize(Policy = Policies.Holder)]
    public override Task<ListShareCodesResponse> ListShareCodes(ListShareCodesRequest request, ServerCallContext context)
    {
        var holder = context.RequireCaller();
        var paging = IdPage.Read(request.PageSize, request.PageToken, request.CertificateNumber);

        using var connection = database.OpenReader();
        var page = ShareCodeRepository.ListByHolder(connection, holder.HolderDigest!, paging.BeforeId, paging.Size + 1, paging.Number);
        var now = time.GetUtcNow();
        var response = new ListShareCodesResponse { NextPageToken = paging.NextToken(page, c => c.Id) };
        response.ShareCodes.AddRange(page.Take(paging.Size).Select(c => HolderMapping.ToProto(c, now)));
        return Task.FromResult(response);
    }

    [Authorize(Policy = Policies.Holder)]
    public override async Task<RevokeShareCodeResponse> RevokeShareCode(RevokeShareCodeRequest request, ServerCallContext context)
    {
        var revoked = await codes.RevokeAsync(context.RequireCaller(), request.Id, context.Audit(), context.CancellationToken);
        return new RevokeShareCodeResponse { ShareCode = HolderMapping.ToProto(revoked, time.GetUtcNow()) };
    }

    [Authorize(Policy = Policies.Holder)]
    public override Task<ListMyLookupsResponse> ListMyLookups(ListMyLookupsRequest request, ServerCallContext context)
    {
        var holder = context.RequireCaller();
        var paging = IdPage.Read(request.PageSize, request.PageToken, request.CertificateNumber);

        using var connection = database.OpenReader();
        var page = VerificationLogRepository.ListForHolder(connection, holder.HolderDigest!, paging.BeforeId, paging.Size + 1, paging.Number);
        var response = new ListMyLookupsResponse { NextPageToken = paging.NextToken(page, v => v.Id) };
        response.Lookups.AddRange(page.Take(paging.Size).Select(HolderMapping.ToLookup));
        return Task.FromResult(response);
    }

    [Authorize(Policy = Policies.Holder)]
    public override Task<GetMyIntegrityRecordResponse> GetMyIntegrityRecord(GetMyIntegrityRecordRequest request, ServerCallContext context)
    {
        var holder = context.RequireCaller();
        var today = ChinaCalendar.Today(time);
        using var connection = database.OpenReader();
        var records = IntegrityRepository.BySubject(connection, holder.HolderDigest!, SubjectRole.Unspecified)
            .Select(r => HolderMapping.ForHolder(MisconductMapping.ToProto(r, policy.MisconductRecordYears, today))).ToList();
        var response = new GetMyIntegrityRecordResponse { HasActiveRecord = records.Any(r => r.State == MisconductState.Active) };
        response.Records.AddRange(records);
        return Task.FromResult(response);
    }

    /// <summary>A page of a list by id, newest first, optionally of one certificate: what the request asked, checked.</summary>
    private sealed record IdPage(int Size, string Number, long BeforeId)
    {
        public static IdPage Read(int pageSize, string pageToken, string certificateNumber)
        {
            var violations = new Violations();
            var size = Paging.PageSize(pageSize, violations);
            var number = "";
            if (certificateNumber.Length > 0)
            {
                number = CertificateNumber.Parse(certificateNumber, out var error)?.Number ?? "";
                violations.AddIf("certificate_number", error);
            }
            var beforeId = Paging.BeforeId(pageToken, number, violations);
            violations.ThrowIfAny();
            return new IdPage(size, number, beforeId);
        }

        /// <summary>The next page's token when <paramref name="page"/> (read with one row more than the size) has more; else "".</summary>
        public string NextToken<T>(IReadOnlyList<T> page, Func<T, long> id) =>
            page.Count > Size ? Paging.Token(id(page[Size - 1]).ToString(CultureInfo.InvariantCulture), Number) : "";
    }
}

using System.Globalization;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Common;
using Credentials.Server.Security;
using Credentials.Store;
using Credentials.Store.Audit;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Credentials.Server.Audit;

/// <summary>credentials.v1.AuditService: the authority reads who wrote what, when and from where.</summary>
public sealed class AuditService(Database database) : V1.AuditService.AuditServiceBase
{
    [Authorize(Policy = Policies.Authority)]
    public override Task<ListAuditRecordsResponse> ListAuditRecords(ListAuditRecordsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var pageSize = Paging.PageSize(request.PageSize, violations);
        var principal = Text.Normalize(request.Principal);
        violations.AddIf("principal", Text.Check(principal, 0, 100));
        violations.AddIf("method", Text.Check(request.Method, 0, 200));
        var from = Timestamps.Read(request.StartTime, "start_time", violations);
        var until = Timestamps.Read(request.EndTime, "end_time", violations);
        var filters = $"{principal}|{request.Method}|{from?.ToUnixTimeMilliseconds()}|{until?.ToUnixTimeMilliseconds()}";
        var beforeId = Paging.BeforeId(request.PageToken, filters, violations);
        violations.ThrowIfAny();

        using var connection = database.OpenReader();
        var page = AuditRepository.List(connection, beforeId, pageSize + 1, principal, request.Method, from, until);
        var response = new ListAuditRecordsResponse();
        response.Records.AddRange(page.Take(pageSize).Select(ToProto));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture), filters);
        }
        return Task.FromResult(response);
    }

    private static V1.AuditRecord ToProto(Store.Audit.AuditRecord record)
    {
        var proto = new V1.AuditRecord
        {
            Id = record.Id,
            Time = Timestamp.FromDateTimeOffset(record.At),
            Principal = record.Principal,
            Role = record.Role,
            Method = record.Method,
            ClientAddress = record.ClientAddress,
            RequestId = record.RequestId,
        };
        if (record.FirstEvent is { } first)
        {
            proto.FirstEvent = first;
        }
        if (record.LastEvent is { } last)
        {
            proto.LastEvent = last;
        }
        return proto;
    }
}

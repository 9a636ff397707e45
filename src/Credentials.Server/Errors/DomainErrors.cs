using System.Globalization;
using Credentials.Core.Validation;
using Credentials.Store;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Status = Google.Rpc.Status;

namespace Credentials.Server.Errors;

/// <summary>
/// Domain and store exceptions as gRPC statuses with google.rpc details in grpc-status-details-bin
/// (Grpc.StatusProto): BadRequest for invalid fields, ErrorInfo (UPPER_SNAKE reason) and
/// PreconditionFailure for refused rules, ResourceInfo for missing things, BadRequest and ErrorInfo
/// for positions past the end (OUT_OF_RANGE). Anything else is not mapped: the caller gets UNKNOWN
/// without its text.
/// </summary>
public static class DomainErrors
{
    public const string Domain = "credentials.v1";

    private const string StoreUnavailable = "The store is unavailable; nothing was written. Retry later.";

    public static RpcException? Map(Exception exception) => exception switch
    {
        InvalidRequestException e => WithDetails(Code.InvalidArgument, e.Message, BadRequest(e.Violations)),
        RuleViolationException e => WithDetails(Code.FailedPrecondition, e.Message, Info(e.Reason, e.Metadata), Preconditions(e)),
        NotFoundException e => WithDetails(Code.NotFound, e.Message, new ResourceInfo { ResourceType = e.ResourceType, ResourceName = e.Name }),
        AlreadyExistsException e => WithDetails(Code.AlreadyExists, e.Message, Info(e.Reason, null)),
        OutOfRangeException e => WithDetails(Code.OutOfRange, e.Message,
            BadRequest([new FieldViolation(e.Field, e.Message)]),
            Info(e.Reason, new Dictionary<string, string> { ["limit"] = e.Limit.ToString(CultureInfo.InvariantCulture) })),
        StoreUnavailableException => WithDetails(Code.Unavailable, StoreUnavailable, Info("STORE_UNAVAILABLE", null)),
        SqliteException e when StoreUnavailableException.IsUnavailable(e) =>
            WithDetails(Code.Unavailable, StoreUnavailable, Info("STORE_UNAVAILABLE", null)),
        _ => null,
    };

    /// <summary>A status with its details, as an exception the gRPC server sends with grpc-status-details-bin.</summary>
    public static RpcException WithDetails(Code code, string message, params Google.Protobuf.IMessage[] details)
    {
        var status = new Status { Code = (int)code, Message = message };
        status.Details.AddRange(details.Select(Any.Pack));
        return status.ToRpcException();
    }

    public static BadRequest BadRequest(IEnumerable<FieldViolation> violations)
    {
        var request = new BadRequest();
        request.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return request;
    }

    public static ErrorInfo Info(string reason, IReadOnlyDictionary<string, string>? metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            info.Metadata[key] = value;
        }
        return info;
    }

    private static PreconditionFailure Preconditions(RuleViolationException e)
    {
        var failure = new PreconditionFailure();
        if (e.Violations.Count == 0)
        {
            failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = e.Reason, Description = e.Message });
        }
        failure.Violations.AddRange(e.Violations.Select(v =>
            new PreconditionFailure.Types.Violation { Type = v.Reason, Subject = v.Subject, Description = v.Description }));
        return failure;
    }
}

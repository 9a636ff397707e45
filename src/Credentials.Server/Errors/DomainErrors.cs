using Credentials.Core.Validation;
using Credentials.Grpc;
using Credentials.Store;
using Google.Rpc;
using Microsoft.Data.Sqlite;
using StatusCode = Credentials.Grpc.StatusCode;

namespace Credentials.Server.Errors;

/// <summary>
/// Domain and store exceptions as gRPC statuses with google.rpc details: BadRequest for invalid
/// fields, ErrorInfo (UPPER_SNAKE reason) and PreconditionFailure for refused rules,
/// ResourceInfo for missing things, BadRequest and ErrorInfo for positions past the end (OUT_OF_RANGE). Anything else stays UNKNOWN without its text.
/// </summary>
public static class DomainErrors
{
    public const string Domain = "credentials.v1";

    public static RpcException? Map(Exception exception) => exception switch
    {
        InvalidRequestException e => RpcException.WithDetails(StatusCode.InvalidArgument, e.Message, BadRequest(e.Violations)),
        RuleViolationException e => RpcException.WithDetails(StatusCode.FailedPrecondition, e.Message, Info(e.Reason, e.Metadata), Preconditions(e)),
        NotFoundException e => RpcException.WithDetails(StatusCode.NotFound, e.Message,
            new ResourceInfo { ResourceType = e.ResourceType, ResourceName = e.Name }),
        AlreadyExistsException e => RpcException.WithDetails(StatusCode.AlreadyExists, e.Message, Info(e.Reason, null)),
        OutOfRangeException e => RpcException.WithDetails(StatusCode.OutOfRange, e.Message,
            BadRequest([new FieldViolation(e.Field, e.Message)]),
            Info(e.Reason, new Dictionary<string, string> { ["limit"] = e.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) })),
        StoreUnavailableException => RpcException.WithDetails(StatusCode.Unavailable, "The store is unavailable; nothing was written. Retry later.",
            Info("STORE_UNAVAILABLE", null)),
        // Google.Protobuf refuses a string field that is not UTF-8 while parsing; the caller learns which.
        UnparsableMessageException e when Utf8Fields.Refusal(e.Descriptor, e.Payload) is { } refusal => Map(refusal),
        SqliteException e when StoreUnavailableException.IsUnavailable(e) =>
            RpcException.WithDetails(StatusCode.Unavailable, "The store is unavailable; nothing was written. Retry later.", Info("STORE_UNAVAILABLE", null)),
        _ => null,
    };

    public static BadRequest BadRequest(IEnumerable<FieldViolation> violations)
    {
        var request = new BadRequest();
        request.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return request;
    }

    private static ErrorInfo Info(string reason, IReadOnlyDictionary<string, string>? metadata)
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

using Grpc.Core;

namespace Credentials.Server.Errors;

/// <summary>The canonical status names (OK, INVALID_ARGUMENT, ...), as every gRPC implementation prints them.</summary>
public static class StatusNames
{
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED",
    ];

    /// <summary>How many codes gRPC defines (0 to 16).</summary>
    public static int Count => Names.Length;

    /// <summary>The name of <paramref name="status"/>; UNKNOWN for a number gRPC does not define.</summary>
    public static string Of(StatusCode status) => (uint)status < (uint)Names.Length ? Names[(int)status] : Names[(int)StatusCode.Unknown];
}

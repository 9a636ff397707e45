using Grpc.Core;

namespace Credentials.Cli.Hosting;

/// <summary>
/// What credctl's exit code means; scripts rely on these, so never renumber them. The table is
/// printed by <c>credctl --help</c> and in README.md.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done: the certificate or envelope is valid, or the command succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The command line is wrong (unknown option, missing argument, unreadable or malformed input file); nothing was sent.</summary>
    public const int Usage = 1;

    /// <summary>
    /// Checked, and the answer is no: revoked, not found (also a wrong name), bad signature,
    /// unknown key, key compromised or not valid, malformed envelope, not on record; or a
    /// NOT_FOUND status for a certificate or record asked for by number.
    /// </summary>
    public const int NotValid = 2;

    /// <summary>The server could not be reached or failed (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, RESOURCE_EXHAUSTED, ...): trying again later may help.</summary>
    public const int ServerError = 3;

    /// <summary>The server refused the request (INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED, ALREADY_EXISTS, OUT_OF_RANGE): trying again will not help.</summary>
    public const int Refused = 4;

    public const string HelpText = """
        Exit codes:
          0  ok: valid, or the command succeeded
          1  usage error: wrong options or arguments, unreadable or malformed input; nothing was sent
          2  checked and not valid: revoked, not found (or wrong name), bad signature, unknown key,
             key compromised or not valid, malformed envelope, not on record; NOT_FOUND for a number
          3  server or transport error: unreachable, TLS failure, UNAVAILABLE, DEADLINE_EXCEEDED,
             RESOURCE_EXHAUSTED (rate limit), INTERNAL, UNKNOWN, UNIMPLEMENTED, ... (retry may help)
          4  refused: INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED,
             ALREADY_EXISTS, OUT_OF_RANGE (the request must change)
        """;

    /// <summary>The exit code of a call that ended with <paramref name="code"/>.</summary>
    public static int ForStatus(StatusCode code) => code switch
    {
        StatusCode.OK => Ok,
        StatusCode.NotFound => NotValid,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.PermissionDenied
            or StatusCode.Unauthenticated or StatusCode.AlreadyExists or StatusCode.OutOfRange => Refused,
        _ => ServerError,
    };
}

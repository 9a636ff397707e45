using System.Collections;

namespace Credentials.Server.Security;

/// <summary>
/// The logging scope of a call: its request id, as the structured value <see cref="Key"/>
/// ("x-request-id:..." as text), for every entry logged while the call runs. The key is not
/// "RequestId": ASP.NET Core's own request scope uses that name for its connection-based trace
/// identifier.
/// </summary>
public sealed class RequestIdLogScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Key = "XRequestId";

    /// <summary>A request id is logged as sent unless it has this many digits in a row: then it could be an ID number.</summary>
    public const int DigitRun = 15;

    public string RequestId { get; } = Loggable(requestId);

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new(Key, RequestId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"x-request-id:{RequestId}";

    /// <summary>
    /// <paramref name="requestId"/>, or a placeholder when it has <see cref="DigitRun"/> digits in a
    /// row: every resident ID number has such a run, a UUID never does, and a caller may choose anything.
    /// </summary>
    public static string Loggable(string requestId)
    {
        var run = 0;
        foreach (var c in requestId)
        {
            run = char.IsDigit(c) ? run + 1 : 0;
            if (run >= DigitRun)
            {
                return "(withheld: may hold an ID number)";
            }
        }
        return requestId;
    }
}

using System.Collections;

namespace Credentials.Server.Security;

/// <summary>
/// The logging scope of a call: its request id (in the form that may be stored or logged, see
/// <see cref="Core.Identity.CallerIdentifiers.ForStorage"/>), as the structured value
/// <see cref="Key"/> ("x-request-id:..." as text), for every entry logged while the call runs. The
/// key is not "RequestId": ASP.NET Core's own request scope uses that name for its connection-based
/// trace identifier.
/// </summary>
public sealed class RequestIdLogScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Key = "XRequestId";

    public string RequestId { get; } = requestId;

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new(Key, RequestId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"x-request-id:{RequestId}";
}

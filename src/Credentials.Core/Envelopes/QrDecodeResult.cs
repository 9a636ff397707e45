using System.Diagnostics.CodeAnalysis;
using Credentials.V1;

namespace Credentials.Core.Envelopes;

/// <summary>The result of <see cref="QrText.Decode"/>: an envelope, or why there is none.</summary>
/// <param name="Envelope">The decoded envelope (not yet verified), or null on error.</param>
/// <param name="Error">None on success.</param>
/// <param name="Message">A sentence saying what was wrong, for error details.</param>
public sealed record QrDecodeResult(Envelope? Envelope, QrTextError Error, string Message)
{
    [MemberNotNullWhen(true, nameof(Envelope))]
    public bool IsSuccess => Error == QrTextError.None;
}

using System.Globalization;
using System.Text;

namespace Credentials.Core.Envelopes;

/// <summary>
/// DSSE pre-authentication encoding, the bytes a signature covers:
/// <c>"DSSEv1" SP len(type) SP type SP len(payload) SP payload</c>, lengths in bytes as ASCII
/// decimal. Binding the type stops a signature being replayed on another kind of payload.
/// </summary>
public static class Pae
{
    public static byte[] Encode(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var header = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"DSSEv1 {Encoding.UTF8.GetByteCount(payloadType)} {payloadType} {payload.Length} "));
        var pae = new byte[header.Length + payload.Length];
        header.CopyTo(pae, 0);
        payload.CopyTo(pae.AsSpan(header.Length));
        return pae;
    }
}

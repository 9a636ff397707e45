namespace Credentials.Grpc.Protocol;

/// <summary>Metadata on the wire: text as is, <c>-bin</c> values as base64 (sent unpadded, read either way).</summary>
public static class MetadataEncoding
{
    public static string ToHeaderValue(Metadata.Entry entry) =>
        entry.IsBinary ? ToBase64(entry.ValueBytes) : entry.Value;

    public static string ToBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    /// <summary>An entry from a received header; INVALID_ARGUMENT names the header when it is malformed.</summary>
    public static Metadata.Entry FromHeader(string key, string value)
    {
        try
        {
            return Metadata.IsBinaryKey(key)
                ? new Metadata.Entry(key, FromBase64(value))
                : new Metadata.Entry(key, value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new RpcException(StatusCode.InvalidArgument, $"Malformed metadata '{key}': {e.Message}");
        }
    }

    /// <summary>
    /// Adds the entries of one received header value. A <c>-bin</c> value may hold several
    /// comma-separated values (HTTP may join repeated headers), each decoded on its own; malformed
    /// base64 is INVALID_ARGUMENT naming the header. A key or text value that HTTP allows but gRPC
    /// does not is dropped: PROTOCOL-HTTP2.md forbids failing the call for it.
    /// </summary>
    public static void AddFromHeader(Metadata metadata, string key, string value)
    {
        if (!Metadata.IsValidKey(key))
        {
            return;
        }
        if (!Metadata.IsBinaryKey(key))
        {
            if (Metadata.IsValidTextValue(value))
            {
                metadata.Add(new Metadata.Entry(key, value));
            }
            return;
        }
        if (!value.Contains(',', StringComparison.Ordinal))
        {
            metadata.Add(FromHeader(key, value));
            return;
        }
        foreach (var part in value.Split(','))
        {
            metadata.Add(FromHeader(key, part));
        }
    }

    /// <summary>Decodes base64 with or without padding.</summary>
    public static byte[] FromBase64(string value)
    {
        var trimmed = value.Trim();
        var padding = (4 - trimmed.Length % 4) % 4;
        if (padding == 3)
        {
            throw new FormatException("Invalid base64 length.");
        }
        return Convert.FromBase64String(padding == 0 ? trimmed : trimmed + new string('=', padding));
    }
}

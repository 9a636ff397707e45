namespace Credentials.Core.Envelopes;

/// <summary>Why a QR text could not be decoded.</summary>
public enum QrTextError
{
    None = 0,

    /// <summary>The text is null or empty.</summary>
    Empty,

    /// <summary>Longer than <see cref="QrText.MaxTextLength"/>: more than any QR code holds.</summary>
    TooLong,

    /// <summary>Does not start with <see cref="QrText.Prefix"/>.</summary>
    WrongPrefix,

    /// <summary>The text after the prefix is not Base45.</summary>
    InvalidBase45,

    /// <summary>The Base45 content is not a complete zlib stream.</summary>
    InvalidCompression,

    /// <summary>Decompresses to more than <see cref="QrText.MaxEnvelopeLength"/> bytes.</summary>
    TooLarge,

    /// <summary>The decompressed bytes are not a protobuf Envelope.</summary>
    InvalidEnvelope,
}

using System.Text.Unicode;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Credentials.Core.Validation;

/// <summary>
/// Which string fields of a serialized request are not valid UTF-8. Google.Protobuf (3.31 on) refuses
/// such a message while parsing it, strictly, but says neither which field nor that the caller is to
/// blame; the transport asks here, with the bytes it could not parse, and answers INVALID_ARGUMENT
/// naming the fields. Driven by the message's descriptor, so every string field of every message,
/// present and future, nested or repeated, is covered without a line per field.
/// </summary>
/// <remarks>
/// Bytes that are UTF-8 but carry U+FFFD (text mis-decoded before it was sent) parse fine and are
/// refused by <see cref="Text.Check"/>, which every stored or signed text goes through.
/// </remarks>
public static class Utf8Fields
{
    public const string Description = "must be valid UTF-8";

    /// <summary>Deeper than this the walk stops (Google.Protobuf's own recursion limit is 100).</summary>
    private const int MaxDepth = 100;

    /// <summary>
    /// The paths, as validation names them ("spec.holder.name", "items[3].series"), of the string
    /// fields in <paramref name="message"/> whose bytes are not UTF-8. Unknown fields are skipped (they
    /// are kept as bytes, never decoded); a malformed message yields what was found before the damage.
    /// </summary>
    public static IReadOnlyList<string> FindInvalid(MessageDescriptor descriptor, byte[] message)
    {
        var found = new List<string>();
        try
        {
            Walk(descriptor, message, "", found, 0);
        }
        catch (InvalidProtocolBufferException)
        {
            // Broken elsewhere too: report what was found.
        }
        return found;
    }

    /// <summary>The refusal of a message with invalid UTF-8, naming every such field; null when it has none.</summary>
    public static InvalidRequestException? Refusal(MessageDescriptor descriptor, byte[] message) =>
        FindInvalid(descriptor, message) is { Count: > 0 } fields
            ? new InvalidRequestException(fields.Select(f => new FieldViolation(f, Description)).ToList())
            : null;

    private static void Walk(MessageDescriptor descriptor, byte[] bytes, string prefix, List<string> found, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }
        var input = new CodedInputStream(bytes);
        var occurrences = new Dictionary<int, int>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = descriptor.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            if (field is null || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited
                || field.FieldType is not (FieldType.String or FieldType.Message))
            {
                input.SkipLastField();
                continue;
            }
            var path = prefix + field.Name;
            if (field.IsRepeated)
            {
                var index = occurrences.GetValueOrDefault(field.FieldNumber);
                occurrences[field.FieldNumber] = index + 1;
                path += $"[{index}]";
            }
            var value = input.ReadBytes();
            if (field.FieldType == FieldType.Message)
            {
                Walk(field.MessageType, value.ToByteArray(), path + ".", found, depth + 1);
            }
            else if (!Utf8.IsValid(value.Span))
            {
                found.Add(path);
            }
        }
    }
}

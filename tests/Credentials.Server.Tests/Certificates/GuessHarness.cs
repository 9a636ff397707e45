using System.Security.Cryptography;
using System.Text;
using Credentials.Core.Identity;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Credentials.Server.Tests.Certificates;

/// <summary>
/// What someone holding a certificate's QR code (or the platform's copy of the ledger) can do to learn the holder's ID
/// number offline: take the candidates they can enumerate, and test each against everything they hold with the
/// obvious constructions. Every bytes and string field of the messages (nested ones too) is a possible salt or key;
/// a candidate is confirmed when a construction's output, or its first 16 bytes, or its hex or base64 form, appears
/// anywhere in what they hold.
/// </summary>
internal sealed class GuessHarness
{
    private readonly List<byte[]> _fields = [];
    private readonly byte[] _blob;
    private readonly string _text;

    public GuessHarness(params IMessage[] held)
    {
        foreach (var message in held)
        {
            Collect(message);
        }
        _blob = [.. held.SelectMany(m => m.ToByteArray())];
        _text = string.Join('\n', _fields.Select(f => Encoding.UTF8.GetString(f)));
    }

    /// <summary>How many constructions were tried per candidate.</summary>
    public int ConstructionsPerCandidate => Forms("x").Count * (4 + _fields.Count * 4);

    /// <summary>The 1,000 resident ID numbers of a region and birth date: every sequence, with its check character.</summary>
    public static IReadOnlyList<string> Candidates(string region, DateOnly birth) =>
        [.. Enumerable.Range(0, 1000).Select(sequence =>
        {
            var first17 = $"{region}{birth:yyyyMMdd}{sequence:D3}";
            return first17 + ResidentIdNumber.CheckCharacter(first17);
        })];

    /// <summary>The candidates some construction confirms.</summary>
    public IReadOnlyList<string> Confirmed(IEnumerable<string> candidates) => [.. candidates.Where(Confirms)];

    private bool Confirms(string candidate)
    {
        foreach (var form in Forms(candidate))
        {
            var x = Encoding.UTF8.GetBytes(form);
            if (Found(SHA256.HashData(x)) || Found(SHA512.HashData(x)) || Found(SHA1.HashData(x)) || Found(MD5.HashData(x)))
            {
                return true;
            }
            foreach (var field in _fields)
            {
                if (Found(SHA256.HashData([.. field, .. x])) || Found(SHA256.HashData([.. x, .. field]))
                    || Found(HMACSHA256.HashData(field, x)) || Found(HMACSHA256.HashData(x, field)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>How a number might be written before hashing: as is, lower case, with the document type as a prefix.</summary>
    private static List<string> Forms(string number) => [number, number.ToLowerInvariant(), "1:" + number, "RESIDENT_ID_CARD:" + number];

    private bool Found(byte[] digest)
    {
        var prefix = digest.AsSpan(0, Math.Min(16, digest.Length));
        return _blob.AsSpan().IndexOf(prefix) >= 0
            || _text.Contains(Convert.ToHexString(digest), StringComparison.OrdinalIgnoreCase)
            || _text.Contains(Convert.ToBase64String(digest), StringComparison.Ordinal)
            || _text.Contains(Convert.ToHexString(prefix), StringComparison.OrdinalIgnoreCase);
    }

    private void Collect(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            var values = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<object>() : [value];
            foreach (var item in values)
            {
                switch (item)
                {
                    case ByteString bytes when !bytes.IsEmpty:
                        _fields.Add(bytes.ToByteArray());
                        break;
                    case string text when text.Length > 0:
                        _fields.Add(Encoding.UTF8.GetBytes(text));
                        break;
                    case IMessage nested:
                        Collect(nested);
                        break;
                }
            }
        }
    }
}

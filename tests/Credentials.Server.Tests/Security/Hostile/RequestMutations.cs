using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Server.Tests.Security.Hostile;

/// <summary>
/// Hostile variants of a valid request, found by walking its fields with protobuf reflection:
/// every string too long and with a control character, every enum out of range, every repeated
/// field huge, every date and timestamp impossible (strict: INVALID_ARGUMENT naming the field),
/// and every string empty and number extreme (lenient: any clean answer).
/// </summary>
public static class RequestMutations
{
    public const int HugeCount = 10_000;
    private static readonly string TooLong = new('长', 100_000);

    /// <summary>A change to a request, the field path errors must name, and whether that naming is required.</summary>
    public sealed record Mutation(string Path, string Kind, bool Strict, Action<IMessage> Apply)
    {
        public override string ToString() => $"{Path} {Kind}";
    }

    public static IEnumerable<Mutation> For(IMessage request, IReadOnlySet<string> ignored) =>
        Walk(request, "", [], ignored);

    private static IEnumerable<Mutation> Walk(IMessage message, string prefix, List<Step> steps, IReadOnlySet<string> ignored)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            if (ignored.Contains(path))
            {
                continue;
            }
            var here = new List<Step>(steps) { new(field, null) };
            if (field.IsRepeated)
            {
                foreach (var mutation in Repeated(message, field, path, here, ignored))
                {
                    yield return mutation;
                }
                continue;
            }
            switch (field.FieldType)
            {
                case FieldType.String:
                    yield return Set(path, "too long", true, here, TooLong);
                    yield return Set(path, "control character", true, here, "a\u0000b\u0007c");
                    yield return Set(path, "empty", false, here, "");
                    break;
                case FieldType.Enum:
                    yield return Set(path, "unknown enum value", true, here, 9999);
                    break;
                case FieldType.Int32:
                    yield return Set(path, "-1", false, here, -1);
                    yield return Set(path, "int.MaxValue", false, here, int.MaxValue);
                    break;
                case FieldType.Int64:
                    yield return Set(path, "-1", false, here, -1L);
                    yield return Set(path, "long.MaxValue", false, here, long.MaxValue);
                    break;
                case FieldType.Bytes:
                    yield return Set(path, "1 MiB of garbage", false, here, ByteString.CopyFrom(new byte[1024 * 1024]));
                    yield return Set(path, "empty", false, here, ByteString.Empty);
                    break;
                case FieldType.Message when field.MessageType.FullName == "google.type.Date":
                    yield return Set(path, "30 February", true, here, new Google.Type.Date { Year = 2024, Month = 2, Day = 30 });
                    yield return Set(path, "month 13", true, here, new Google.Type.Date { Year = 2024, Month = 13, Day = 1 });
                    break;
                case FieldType.Message when field.MessageType.FullName == Timestamp.Descriptor.FullName:
                    yield return Set(path, "year 10000", true, here, new Timestamp { Seconds = 253_402_300_800 });
                    yield return Set(path, "negative nanos", true, here, new Timestamp { Seconds = 0, Nanos = -1 });
                    break;
                case FieldType.Message:
                    if (field.Accessor.GetValue(message) is IMessage child)
                    {
                        foreach (var mutation in Walk(child, path + ".", here, ignored))
                        {
                            yield return mutation;
                        }
                    }
                    break;
            }
        }
    }

    private static IEnumerable<Mutation> Repeated(IMessage message, FieldDescriptor field, string path, List<Step> here, IReadOnlySet<string> ignored)
    {
        var list = (IList)field.Accessor.GetValue(message);
        object? sample = list.Count > 0 ? list[0] : field.FieldType switch
        {
            FieldType.String => "x",
            FieldType.Enum => 1,
            FieldType.Message => field.MessageType.Parser.ParseFrom(ByteString.Empty),
            _ => null,
        };
        if (sample is null)
        {
            yield break;
        }
        yield return new Mutation(path, $"{HugeCount} entries", true, root =>
        {
            var target = (IList)Navigate(root, here);
            target.Clear();
            for (var i = 0; i < HugeCount; i++)
            {
                target.Add(sample is IMessage message ? Copy(message) : sample);
            }
        });
        if (list.Count == 0)
        {
            yield break;
        }
        var element = new List<Step>(here[..^1]) { new(field, 0) };
        switch (field.FieldType)
        {
            case FieldType.String:
                yield return Set(path + "[0]", "too long", true, element, TooLong);
                yield return Set(path + "[0]", "control character", true, element, "a\u0000b");
                break;
            case FieldType.Enum:
                yield return Set(path + "[0]", "unknown enum value", true, element, 9999);
                break;
            case FieldType.Message:
                foreach (var mutation in Walk((IMessage)list[0]!, path + "[0].", element, ignored))
                {
                    yield return mutation;
                }
                break;
        }
    }

    private static Mutation Set(string path, string kind, bool strict, List<Step> steps, object value) =>
        new(path, kind, strict, root =>
        {
            var last = steps[^1];
            var owner = (IMessage)Navigate(root, steps[..^1]);
            if (last.Index is { } index)
            {
                ((IList)last.Field.Accessor.GetValue(owner))[index] = value;
            }
            else
            {
                last.Field.Accessor.SetValue(owner, value);
            }
        });

    /// <summary>Follows the steps from the root: fields, and list elements where an index is given.</summary>
    private static object Navigate(IMessage root, List<Step> steps)
    {
        object current = root;
        foreach (var step in steps)
        {
            var value = step.Field.Accessor.GetValue((IMessage)current);
            current = step.Index is { } index ? ((IList)value)[index]! : value;
        }
        return current;
    }

    /// <summary>A deep copy of any message.</summary>
    public static IMessage Copy(IMessage message) => message.Descriptor.Parser.ParseFrom(message.ToByteString());

    private sealed record Step(FieldDescriptor Field, int? Index);
}

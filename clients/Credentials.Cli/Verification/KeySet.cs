using Credentials.Cli.Hosting;
using Credentials.Core.Signing;
using Credentials.Core.Verification;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Cli.Verification;

/// <summary>
/// The published signing keys, saved for offline verification by <c>credctl keys save</c>: the
/// JSON mapping of ListSigningKeysResponse (<c>{"keys": [{"keyId", "algorithm", "publicKeySpki",
/// "publicKeyPem", "publicKeyRaw", "validFrom", "validUntil", "compromisedAt"}]}</c>), which
/// clients/python/verify.py reads too. On loading, each key id is recomputed from its public key,
/// so an entry cannot lend its validity to another key.
/// </summary>
internal sealed class KeySet
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly Dictionary<string, KnownKey> _keys;

    private KeySet(Dictionary<string, KnownKey> keys) => _keys = keys;

    public int Count => _keys.Count;

    public static string ToJson(ListSigningKeysResponse response) => Output.ToNode(response).ToJsonString(
        new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

    /// <exception cref="UsageException">The file is missing, not a key set, or an entry's key id or algorithm does not match its key.</exception>
    public static KeySet Load(string path)
    {
        ListSigningKeysResponse response;
        try
        {
            response = Parser.Parse<ListSigningKeysResponse>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--keys: cannot read {path}: {e.Message}");
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new UsageException($"--keys: {path} is not a key set saved by 'credctl keys save': {e.Message}");
        }
        return FromResponse(response, path);
    }

    public static KeySet FromResponse(ListSigningKeysResponse response, string source)
    {
        var keys = new Dictionary<string, KnownKey>(StringComparer.Ordinal);
        foreach (var info in response.Keys)
        {
            VerificationKey key;
            try
            {
                key = info.PublicKeySpki.IsEmpty ? VerificationKey.FromPem(info.PublicKeyPem) : VerificationKey.FromSubjectPublicKeyInfo(info.PublicKeySpki.Memory);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--keys: {source}: the public key of {info.KeyId} is not valid: {e.Message}");
            }
            if (key.KeyId != info.KeyId || key.Algorithm.ToName() != info.Algorithm)
            {
                throw new UsageException($"--keys: {source}: entry {info.KeyId} ({info.Algorithm}) holds the key {key.KeyId} ({key.Algorithm.ToName()}).");
            }
            if (info.ValidFrom is null)
            {
                throw new UsageException($"--keys: {source}: entry {info.KeyId} has no validFrom.");
            }
            keys[key.KeyId] = new KnownKey(key, info.ValidFrom.ToDateTimeOffset(), info.ValidUntil?.ToDateTimeOffset(), info.CompromisedAt?.ToDateTimeOffset());
        }
        if (keys.Count == 0)
        {
            throw new UsageException($"--keys: {source} holds no keys.");
        }
        return new KeySet(keys);
    }

    /// <summary>The key with this id, or null.</summary>
    public KnownKey? Find(string keyId) => _keys.GetValueOrDefault(keyId);
}

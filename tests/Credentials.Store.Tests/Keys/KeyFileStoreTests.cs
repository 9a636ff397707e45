using System.Runtime.Versioning;
using System.Security;
using System.Security.Cryptography;
using Credentials.Core.Signing;
using Credentials.Store.Keys;

namespace Credentials.Store.Tests.Keys;

// File modes are a Unix notion; these tests run where the service runs.
[UnsupportedOSPlatform("windows")]
public sealed class KeyFileStoreTests : IDisposable
{
    private const string Passphrase = "key file passphrase";

    private readonly string _root = Directory.CreateTempSubdirectory("credentials-keys-").FullName;
    private readonly KeyFileStore _store;

    public KeyFileStoreTests() => _store = new KeyFileStore(Path.Combine(_root, "keys"));

    public static TheoryData<SigningAlgorithm> Algorithms => [SigningAlgorithm.Sm2Sm3, SigningAlgorithm.EcdsaP256Sha256, SigningAlgorithm.Ed25519];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Load_Saved_SignsForSamePublicKey(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        _store.Save(key);

        using var loaded = _store.Load(key.KeyId);

        Assert.Equal(key.KeyId, loaded.KeyId);
        Assert.True(key.PublicKey.Verify("m"u8, loaded.Sign("m"u8)));
    }

    [Fact]
    public void Load_SavedEncrypted_NeedsPassphrase()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
        var path = _store.Save(key, Passphrase);

        using var loaded = _store.Load(key.KeyId, Passphrase);

        Assert.Equal(key.KeyId, loaded.KeyId);
        Assert.Contains("ENCRYPTED PRIVATE KEY", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => _store.Load(key.KeyId));
        Assert.Throws<CryptographicException>(() => _store.Load(key.KeyId, "wrong"));
    }

    [Fact]
    public void Save_NewKey_FileIsOwnerReadWriteOnlyInOwnerOnlyDirectory()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Ed25519);

        var path = _store.Save(key);

        Assert.Equal(Path.Combine(_store.Directory, key.KeyId + ".pem"), path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_store.Directory));
        Assert.Single(Directory.GetFiles(_store.Directory)); // no temporary file left behind
    }

    [Fact]
    public void Save_SameKeyTwice_ThrowsAndKeepsFirstFile()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Ed25519);
        var path = _store.Save(key);
        var first = File.ReadAllText(path);

        Assert.Throws<IOException>(() => _store.Save(key, Passphrase));
        Assert.Equal(first, File.ReadAllText(path));
    }

    [Fact]
    public void Load_GroupReadableFile_ThrowsSecurityException()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Ed25519);
        var path = _store.Save(key);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var error = Assert.Throws<SecurityException>(() => _store.Load(key.KeyId));

        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileHoldingAnotherKey_ThrowsFormatException()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Ed25519);
        using var other = SigningKey.Generate(SigningAlgorithm.Ed25519);
        var otherPath = _store.Save(other);
        var misnamed = Path.Combine(_store.Directory, key.KeyId + ".pem");
        File.Move(otherPath, misnamed);

        var error = Assert.Throws<FormatException>(() => _store.Load(key.KeyId));

        Assert.Contains(other.KeyId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Missing_ThrowsFileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => _store.Load("sm2-0123456789abcdef"));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("sm2-0123456789ABCDEF")]
    [InlineData("")]
    public void Load_NotAKeyId_ThrowsArgumentException(string keyId)
    {
        Assert.Throws<ArgumentException>(() => _store.Load(keyId));
    }

    [Fact]
    public void List_SavedKeysAndOtherFiles_ListsKeysSortedWithEncryption()
    {
        using var plain = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
        using var encrypted = SigningKey.Generate(SigningAlgorithm.EcdsaP256Sha256);
        _store.Save(plain);
        _store.Save(encrypted, Passphrase);
        File.WriteAllText(Path.Combine(_store.Directory, "README.pem"), "not a key");
        File.WriteAllText(Path.Combine(_store.Directory, "notes.txt"), "not a key");

        var entries = _store.List();

        Assert.Equal(new[] { plain.KeyId, encrypted.KeyId }.Order(StringComparer.Ordinal), entries.Select(e => e.KeyId));
        var plainEntry = entries.Single(e => e.KeyId == plain.KeyId);
        var encryptedEntry = entries.Single(e => e.KeyId == encrypted.KeyId);
        Assert.False(plainEntry.IsEncrypted);
        Assert.True(encryptedEntry.IsEncrypted);
        Assert.Equal(SigningAlgorithm.Sm2Sm3, plainEntry.Algorithm);
        Assert.Equal(SigningAlgorithm.EcdsaP256Sha256, encryptedEntry.Algorithm);
    }

    [Fact]
    public void List_NoDirectory_IsEmpty()
    {
        Assert.Empty(_store.List());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

using System.Text;
using Credentials.Core.Ledger;
using static Credentials.Core.Tests.Ledger.NoteVectors;

namespace Credentials.Core.Tests.Ledger;

public class NoteKeyTests
{
    [Fact]
    public void NoteVerifierParse_PublishedKey_NameAndKeyId()
    {
        var verifier = NoteVerifier.Parse(PeterVerifierKey);

        Assert.Equal("PeterNeumann", verifier.Name);
        Assert.Equal(0xc74f20a3u, verifier.KeyId);
        Assert.Equal(PeterVerifierKey, verifier.VerifierKey);
    }

    [Fact]
    public void NoteSignerParse_PublishedKey_DerivesPublishedVerifierKey()
    {
        var signer = NoteSigner.Parse(PeterSignerKey);

        Assert.Equal(PeterVerifierKey, signer.Verifier.VerifierKey);
        Assert.Equal(PeterSignerKey, signer.ExportSignerKey());
    }

    [Fact]
    public void NoteVerifierParse_AnyTruncationOrChangedCharacter_Throws()
    {
        var accepted = Manglings(PeterVerifierKey).Where(Accepts(NoteVerifier.Parse)).ToList();

        Assert.Empty(accepted);
    }

    [Fact]
    public void NoteSignerParse_AnyTruncationOrChangedCharacter_Throws()
    {
        var accepted = Manglings(PeterSignerKey).Where(Accepts(NoteSigner.Parse)).Count();

        Assert.Equal(0, accepted); // count only: the strings hold a (published) private key
    }

    [Theory]
    [InlineData("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")] // wrong key length
    [InlineData("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")] // unknown algorithm
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")] // space in name
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T W")] // whitespace in base64
    public void NoteVerifierParse_PublishedBadKeys_Throws(string key)
    {
        Assert.Throws<FormatException>(() => NoteVerifier.Parse(key));
    }

    [Fact]
    public void Generate_RoundTripsThroughKeyStrings()
    {
        var signer = NoteSigner.Generate("credentials.example.cn/ledger");

        var reparsed = NoteSigner.Parse(signer.ExportSignerKey());
        var verifier = NoteVerifier.Parse(signer.Verifier.VerifierKey);

        Assert.Equal(signer.KeyId, reparsed.KeyId);
        Assert.Equal(signer.KeyId, verifier.KeyId);
        Assert.Equal(SignedNote.Sign("x\n", signer), SignedNote.Sign("x\n", reparsed)); // Ed25519 is deterministic
    }

    [Fact]
    public void SignerToString_DoesNotRevealSeed()
    {
        var signer = NoteSigner.Parse(PeterSignerKey);

        Assert.DoesNotContain("AYEKFALV", signer.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a+b")]
    [InlineData("a b")]
    [InlineData("a\u00a0b")]
    public void FromSeed_InvalidName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSeed(name, new byte[32]));
    }

    private static Func<string, bool> Accepts<T>(Func<string, T> parse) => key =>
    {
        try
        {
            parse(key);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    };

    // As note_test.go: every proper substring, and every string with one character incremented.
    private static IEnumerable<string> Manglings(string key)
    {
        for (var i = 0; i <= key.Length; i++)
        {
            for (var j = i + 1; j <= key.Length; j++)
            {
                if (i != 0 || j != key.Length)
                {
                    yield return key[i..j];
                }
            }
        }
        for (var i = 0; i < key.Length; i++)
        {
            var chars = new StringBuilder(key);
            chars[i]++;
            yield return chars.ToString();
        }
    }
}

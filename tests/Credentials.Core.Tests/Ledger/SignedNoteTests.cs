using System.Text;
using Credentials.Core.Ledger;
using static Credentials.Core.Tests.Ledger.NoteVectors;

namespace Credentials.Core.Tests.Ledger;

public class SignedNoteTests
{
    private static readonly NoteVerifier Peter = NoteVerifier.Parse(PeterVerifierKey);
    private static readonly NoteVerifier Enoch = NoteVerifier.Parse(EnochVerifierKey);

    [Fact]
    public void Sign_PublishedKeyAndText_ExactPublishedNote()
    {
        var note = SignedNote.Sign(Text, NoteSigner.Parse(PeterSignerKey));

        Assert.Equal(Text + "\n" + PeterSignatureLine, Encoding.UTF8.GetString(note));
    }

    [Fact]
    public void Open_OneKnownOneUnknownKey_SplitsVerifiedAndUnverified()
    {
        var note = SignedNote.Open(Utf8(Text + "\n" + PeterSignatureLine + EnochSignatureLine), [Peter]);

        Assert.Equal(Text, note.Text);
        Assert.Equal([new NoteSignature("PeterNeumann", 0xc74f20a3, PeterSignatureBase64)], note.Signatures);
        Assert.Equal([new NoteSignature("EnochRoot", 0xaf0cfe78, EnochSignatureBase64)], note.UnverifiedSignatures);
    }

    [Fact]
    public void Open_BothKeysKnown_BothVerified()
    {
        var note = SignedNote.Open(Utf8(Text + "\n" + PeterSignatureLine + EnochSignatureLine), [Peter, Enoch]);

        Assert.Equal(["PeterNeumann", "EnochRoot"], note.Signatures.Select(s => s.Name));
        Assert.Empty(note.UnverifiedSignatures);
    }

    [Fact]
    public void Open_NoKnownKey_Throws()
    {
        var error = Assert.Throws<SignedNoteException>(
            () => SignedNote.Open(Utf8(Text + "\n" + PeterSignatureLine + EnochSignatureLine), []));

        Assert.Contains("no verified signature", error.Message);
    }

    [Fact]
    public void Open_KnownKeyBadSignature_RejectsWholeNote()
    {
        var corrupted = PeterSignatureLine[..60] + "ABCD" + PeterSignatureLine[60..];

        var error = Assert.Throws<SignedNoteException>(
            () => SignedNote.Open(Utf8(Text + "\n" + EnochSignatureLine + corrupted), [Peter, Enoch]));

        Assert.Contains("PeterNeumann+c74f20a3", error.Message);
    }

    [Fact]
    public void Open_UnknownKeyBadSignature_Ignored()
    {
        var corruptedEnoch = EnochSignatureLine[..60] + "ABCD" + EnochSignatureLine[60..];

        var note = SignedNote.Open(
            Utf8(Text + "\n" + PeterSignatureLine + PeterSignatureLine + EnochSignatureLine + EnochSignatureLine + corruptedEnoch),
            [Peter]);

        Assert.Single(note.Signatures);
        Assert.Equal(2, note.UnverifiedSignatures.Count); // repeated identical lines collapse
    }

    [Fact]
    public void Open_SameNameOtherKeyId_TreatedAsUnknown()
    {
        // c2sp: a signature sharing the name but not the key id of a known key is ignored, not verified.
        var other = NoteSigner.Generate("PeterNeumann");
        var note = Encoding.UTF8.GetString(SignedNote.Sign(Text, other));

        var opened = SignedNote.Open(Utf8(note + PeterSignatureLine), [Peter]);

        Assert.Equal(0xc74f20a3u, Assert.Single(opened.Signatures).KeyId);
        Assert.Equal(other.KeyId, Assert.Single(opened.UnverifiedSignatures).KeyId);
    }

    [Fact]
    public void Open_TooManySignatures_Throws()
    {
        var message = Text + "\n" + string.Concat(Enumerable.Repeat(PeterSignatureLine, SignedNote.MaxSignatures + 1));

        Assert.Throws<SignedNoteException>(() => SignedNote.Open(Utf8(message), [Peter]));
    }

    [Fact]
    public void Open_LargerThanLimit_Throws()
    {
        var message = new string('a', SignedNote.MaxBytes) + "\n\n" + PeterSignatureLine;

        var error = Assert.Throws<SignedNoteException>(() => SignedNote.Open(Utf8(message), [Peter]));

        Assert.Contains("larger", error.Message);
    }

    public static TheoryData<string> MalformedNotes => new()
    {
        Text,
        Text + "\n",
        Text + "\n" + PeterSignatureLine[..^1],
        "\u0001" + Text + "\n" + PeterSignatureLine,
        Text.Replace("\n", "\r\n") + "\n" + PeterSignatureLine,
        Text + "\n" + "— Bad Name " + PeterSignatureBase64 + "\n",
        Text + "\n" + PeterSignatureLine + "Unexpected line.\n",
        Text + "\n" + "- PeterNeumann " + PeterSignatureBase64 + "\n",
        Text + "\n" + "— PeterNeumann " + PeterSignatureBase64.TrimEnd('=') + "\n",
        Text + "\n" + "— PeterNeumann AAAAAA==\n",
    };

    [Theory]
    [MemberData(nameof(MalformedNotes))]
    public void Open_MalformedNote_Throws(string message)
    {
        Assert.Throws<SignedNoteException>(() => SignedNote.Open(Utf8(message), [Peter]));
    }

    [Fact]
    public void Open_InvalidUtf8_Throws()
    {
        byte[] message = [0xff, .. Utf8(Text + "\n" + PeterSignatureLine)];

        Assert.Throws<SignedNoteException>(() => SignedNote.Open(message, [Peter]));
    }

    [Fact]
    public void Open_TextChangedAfterSigning_Throws()
    {
        var message = Text.Replace("problem", "problems") + "\n" + PeterSignatureLine;

        Assert.Throws<SignedNoteException>(() => SignedNote.Open(Utf8(message), [Peter]));
    }

    [Fact]
    public void Open_SameVerifierListedTwice_Accepted()
    {
        var note = SignedNote.Open(Utf8(Text + "\n" + PeterSignatureLine), [Peter, NoteVerifier.Parse(PeterVerifierKey)]);

        Assert.Single(note.Signatures);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no final newline")]
    [InlineData("tab\there\n")]
    public void Sign_InvalidText_Throws(string text)
    {
        Assert.Throws<ArgumentException>(() => SignedNote.Sign(text, NoteSigner.Parse(PeterSignerKey)));
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}

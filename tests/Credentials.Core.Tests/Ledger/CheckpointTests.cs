using System.Text;
using Credentials.Core.Ledger;

namespace Credentials.Core.Tests.Ledger;

public class CheckpointTests
{
    private const string Origin = "credentials.example.cn/ledger";
    private static readonly NoteSigner LogKey = NoteSigner.Generate(Origin);
    private static readonly byte[] Root = MerkleHash.HashLeaf("root"u8);

    [Fact]
    public void ToNoteText_Fields_OriginSizeBase64RootEachOnALine()
    {
        var checkpoint = new Checkpoint(Origin, 20852163, Root, ["ext one"]);

        Assert.Equal($"{Origin}\n20852163\n{Convert.ToBase64String(Root)}\next one\n", checkpoint.ToNoteText());
    }

    [Fact]
    public void Open_SignedCheckpoint_RoundTrips()
    {
        var note = new Checkpoint(Origin, 10_000_000, Root, ["extension"]).Sign(LogKey);

        var opened = Checkpoint.Open(note, Origin, LogKey.Verifier);

        Assert.Equal(Origin, opened.Origin);
        Assert.Equal(10_000_000, opened.Size);
        Assert.Equal(Root, opened.RootHash.ToArray());
        Assert.Equal(["extension"], opened.Extensions);
    }

    [Fact]
    public void Open_EmptyTree_RoundTrips()
    {
        var note = new Checkpoint(Origin, 0, MerkleHash.EmptyRoot).Sign(LogKey);

        var opened = Checkpoint.Open(note, Origin, LogKey.Verifier);

        Assert.Equal(0, opened.Size);
        Assert.Equal(MerkleHash.EmptyRoot.ToArray(), opened.RootHash.ToArray());
    }

    [Fact]
    public void Open_CosignedByUnknownWitness_WitnessIgnored()
    {
        var text = new Checkpoint(Origin, 5, Root).ToNoteText();
        var note = SignedNote.Sign(text, LogKey, NoteSigner.Generate("witness.example.org"));

        var opened = Checkpoint.Open(note, Origin, LogKey.Verifier);

        Assert.Equal(5, opened.Size);
    }

    [Fact]
    public void Open_SignedByAnotherKey_Throws()
    {
        var note = new Checkpoint(Origin, 5, Root).Sign(NoteSigner.Generate(Origin));

        Assert.Throws<SignedNoteException>(() => Checkpoint.Open(note, Origin, LogKey.Verifier));
    }

    [Fact]
    public void Open_OtherOrigin_Throws()
    {
        var note = new Checkpoint("other.example.cn/log", 5, Root).Sign(LogKey);

        var error = Assert.Throws<SignedNoteException>(() => Checkpoint.Open(note, Origin, LogKey.Verifier));

        Assert.Contains("origin", error.Message);
    }

    [Fact]
    public void Open_SizeChangedAfterSigning_Throws()
    {
        var note = Encoding.UTF8.GetString(new Checkpoint(Origin, 5, Root).Sign(LogKey));

        var tampered = Encoding.UTF8.GetBytes(note.Replace("\n5\n", "\n6\n", StringComparison.Ordinal));

        Assert.Throws<SignedNoteException>(() => Checkpoint.Open(tampered, Origin, LogKey.Verifier));
    }

    [Fact]
    public void ParseNoteText_PublishedExample_Fields()
    {
        // The example of c2sp.org/tlog-checkpoint.
        var checkpoint = Checkpoint.ParseNoteText(
            "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");

        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.Size);
        Assert.Equal(Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="), checkpoint.RootHash.ToArray());
        Assert.Empty(checkpoint.Extensions);
    }

    [Theory]
    [InlineData("origin\n5\n", "checkpoint:")]
    [InlineData("origin\n5\nAAAA\n", "root hash")]
    [InlineData("\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "origin")]
    [InlineData("origin\n05\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("origin\n+5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("origin\n-5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("origin\n\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("origin\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "root hash")]
    [InlineData("origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", "root hash")]
    [InlineData("origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n", "extension")]
    [InlineData("origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "newline")]
    public void ParseNoteText_Malformed_ThrowsNamingTheField(string text, string field)
    {
        var error = Assert.Throws<SignedNoteException>(() => Checkpoint.ParseNoteText(text));

        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Constructor_RootOfWrongSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Checkpoint(Origin, 1, new byte[31]));
    }

    [Fact]
    public void Constructor_OriginWithNewline_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Checkpoint("a\nb", 1, Root));
    }
}

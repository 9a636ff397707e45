using Credentials.Core.Principals;

namespace Credentials.Core.Tests.Principals;

public class AccessTokenTests
{
    [Fact]
    public void Generate_Token_IsWellFormedAndUnique()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => AccessToken.Generate()).ToList();

        Assert.All(tokens, t => Assert.True(AccessToken.IsWellFormed(t)));
        Assert.All(tokens, t => Assert.StartsWith("crd_", t, StringComparison.Ordinal));
        Assert.Equal(100, tokens.Distinct().Count());
    }

    [Fact]
    public void IsWellFormed_OneCharacterChanged_IsFalse()
    {
        var token = AccessToken.Generate();
        var changed = token[..10] + (token[10] == 'a' ? 'b' : 'a') + token[11..];

        Assert.False(AccessToken.IsWellFormed(changed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer crd_x")]
    [InlineData("ghp_0123456789012345678901234567890123456789012345")]
    public void IsWellFormed_Garbage_IsFalse(string? token)
    {
        Assert.False(AccessToken.IsWellFormed(token));
    }

    [Fact]
    public void Hint_RevealsOnlyTheLastFourCharacters()
    {
        var token = AccessToken.Generate();

        Assert.Equal("crd_…" + token[^4..], AccessToken.Hint(token));
    }
}

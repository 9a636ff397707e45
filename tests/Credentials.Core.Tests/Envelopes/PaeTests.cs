using System.Text;
using Credentials.Core.Envelopes;

namespace Credentials.Core.Tests.Envelopes;

public class PaeTests
{
    [Fact]
    public void Encode_DsseSpecExample_MatchesSpec()
    {
        var pae = Pae.Encode("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.ASCII.GetString(pae));
    }

    [Fact]
    public void Encode_EmptyTypeAndPayload_KeepsAllSeparators()
    {
        Assert.Equal("DSSEv1 0  0 ", Encoding.ASCII.GetString(Pae.Encode("", [])));
    }

    [Fact]
    public void Encode_NonAsciiType_CountsUtf8Bytes()
    {
        var pae = Pae.Encode("证书", [0xFF]);

        Assert.Equal([.. "DSSEv1 6 "u8, .. Encoding.UTF8.GetBytes("证书"), .. " 1 "u8, 0xFF], pae);
    }
}

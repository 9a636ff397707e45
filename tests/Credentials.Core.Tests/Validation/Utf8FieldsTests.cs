using Credentials.Core.Validation;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Core.Tests.Validation;

public class Utf8FieldsTests
{
    /// <summary>The message's bytes with each "@@" overwritten by 0xC3 0x28 (a lead byte and a byte that cannot follow it).</summary>
    private static byte[] Broken(IMessage message)
    {
        var bytes = message.ToByteArray();
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == '@' && bytes[i + 1] == '@')
            {
                (bytes[i], bytes[i + 1]) = (0xC3, 0x28);
            }
        }
        return bytes;
    }

    [Fact]
    public void FindInvalid_NestedAndRepeatedFields_AreNamedAsValidationNamesThem()
    {
        var request = new BatchIssueCertificatesRequest
        {
            RequestId = "r@@1",
            Items =
            {
                new CertificateSpec { Series = "工程系列" },
                new CertificateSpec { Holder = new Holder { Name = "张@@伟" }, Specialty = "给排水" },
                new CertificateSpec { TitleName = "@@" },
            },
        };

        var found = Utf8Fields.FindInvalid(BatchIssueCertificatesRequest.Descriptor, Broken(request));

        Assert.Equal(["request_id", "items[1].holder.name", "items[2].title_name"], found);
        Assert.Throws<InvalidProtocolBufferException>(() => BatchIssueCertificatesRequest.Parser.ParseFrom(Broken(request)));
    }

    [Fact]
    public void FindInvalid_RepeatedStrings_AreNamedByIndex()
    {
        var request = new CreateCommitteeRequest { Committee = new V1.Committee { Specialties = { "建筑工程", "给排水", "暖通@@空调" } } };

        Assert.Equal(["committee.specialties[2]"], Utf8Fields.FindInvalid(CreateCommitteeRequest.Descriptor, Broken(request)));
    }

    [Fact]
    public void FindInvalid_ValidMessage_FindsNothing()
    {
        var request = new IssueCertificateRequest { RequestId = "r1", CommitteeCode = "DL-S01", Spec = new CertificateSpec { Series = "工程系列" } };

        Assert.Empty(Utf8Fields.FindInvalid(IssueCertificateRequest.Descriptor, request.ToByteArray()));
        Assert.Null(Utf8Fields.Refusal(IssueCertificateRequest.Descriptor, request.ToByteArray()));
    }

    [Fact]
    public void FindInvalid_BytesAndUnknownFields_AreNotText()
    {
        // A bytes field and a field this message does not have (as a newer client may send) are never decoded as text.
        var envelope = new Envelope { PayloadType = "application/vnd.credentials.certificate+protobuf", Payload = ByteString.CopyFrom(0xFF, 0xFE) };
        byte[] unknown = [0x9A, 0x06, 0x02, 0xFF, 0xFE]; // field 99, length-delimited, two bytes that are not UTF-8

        Assert.Empty(Utf8Fields.FindInvalid(Envelope.Descriptor, [.. envelope.ToByteArray(), .. unknown]));
        Assert.NotNull(Envelope.Parser.ParseFrom([.. envelope.ToByteArray(), .. unknown]));
    }

    [Fact]
    public void FindInvalid_TruncatedMessage_ReportsWhatCameBeforeTheCut()
    {
        var request = new IssueCertificateRequest { RequestId = "r@@1", CommitteeCode = "DL-S01" };
        var bytes = Broken(request);

        Assert.Equal(["request_id"], Utf8Fields.FindInvalid(IssueCertificateRequest.Descriptor, bytes[..^3]));
    }

    [Fact]
    public void Refusal_NamesEveryInvalidField()
    {
        var request = new RevokeCertificateRequest { Number = "DL@@", Revocation = new Revocation { Details = "冒名@@顶替" } };

        var refusal = Utf8Fields.Refusal(RevokeCertificateRequest.Descriptor, Broken(request));

        Assert.Equal(["number", "revocation.details"], refusal!.Violations.Select(v => v.Field));
        Assert.All(refusal.Violations, v => Assert.Equal(Utf8Fields.Description, v.Description));
    }
}

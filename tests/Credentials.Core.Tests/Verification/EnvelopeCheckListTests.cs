using Credentials.Core.Verification;
using Credentials.V1;

namespace Credentials.Core.Tests.Verification;

public sealed class EnvelopeCheckListTests
{
    [Fact]
    public void Finish_AllPassed_IsValidWithEveryStepInOrder()
    {
        var checks = new EnvelopeCheckList();
        foreach (var step in Enum.GetValues<VerificationStep>().Skip(1))
        {
            checks.Pass(step, "ok");
        }

        Assert.Equal(EnvelopeVerdict.Valid, checks.Finish());
        Assert.Equal(Enum.GetValues<VerificationStep>().Skip(1), checks.Checks.Select(c => c.Step));
    }

    [Fact]
    public void Finish_AfterAFailure_GivesItsVerdictAndSkipsTheRest()
    {
        var checks = new EnvelopeCheckList();
        checks.Pass(VerificationStep.Decode, "ok");
        checks.Fail(VerificationStep.KeyLookup, EnvelopeVerdict.UnknownKey, "no such key");

        Assert.Equal(EnvelopeVerdict.UnknownKey, checks.Finish());
        Assert.Equal(7, checks.Checks.Count);
        Assert.All(checks.Checks.Skip(2), c => Assert.Equal(CheckOutcome.Skipped, c.Outcome));
    }

    [Fact]
    public void Pass_AfterAFailure_Throws()
    {
        var checks = new EnvelopeCheckList();
        checks.Fail(VerificationStep.Decode, EnvelopeVerdict.Malformed, "garbage");

        Assert.Throws<InvalidOperationException>(() => checks.Pass(VerificationStep.KeyLookup, "ok"));
    }

    [Fact]
    public void Pass_StepLeftOut_Throws()
    {
        var checks = new EnvelopeCheckList();
        checks.Pass(VerificationStep.Decode, "ok");

        Assert.Throws<InvalidOperationException>(() => checks.Pass(VerificationStep.Signature, "ok"));
    }
}

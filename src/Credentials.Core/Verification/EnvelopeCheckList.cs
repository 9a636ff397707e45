using Credentials.V1;

namespace Credentials.Core.Verification;

/// <summary>
/// The step list of an envelope verification (like the step lists of Blockcerts and Open
/// Badges verifiers): every step of <see cref="VerificationStep"/> appears once, in order,
/// passed, failed or skipped, and the first failure decides the verdict.
/// </summary>
public sealed class EnvelopeCheckList
{
    private static readonly VerificationStep[] Steps = Enum.GetValues<VerificationStep>().Where(s => s != VerificationStep.Unspecified).Order().ToArray();

    private readonly List<VerificationCheck> _checks = [];

    /// <summary>The verdict of the first failed step, or Unspecified while none failed.</summary>
    public EnvelopeVerdict FailedVerdict { get; private set; }

    public bool HasFailed => FailedVerdict != EnvelopeVerdict.Unspecified;

    public IReadOnlyList<VerificationCheck> Checks => _checks;

    public void Pass(VerificationStep step, string detail) => Add(step, CheckOutcome.Passed, detail);

    /// <summary>Records the failure of <paramref name="step"/>; the steps after it are skipped by <see cref="Finish"/>.</summary>
    public void Fail(VerificationStep step, EnvelopeVerdict verdict, string detail)
    {
        Add(step, CheckOutcome.Failed, detail);
        FailedVerdict = verdict;
    }

    /// <summary>Marks every step not yet run as skipped; returns the verdict (Valid when no step failed).</summary>
    public EnvelopeVerdict Finish()
    {
        foreach (var step in Steps.Where(s => _checks.All(c => c.Step != s)))
        {
            _checks.Add(new VerificationCheck { Step = step, Outcome = CheckOutcome.Skipped, Detail = "Not run: an earlier step failed." });
        }
        return HasFailed ? FailedVerdict : EnvelopeVerdict.Valid;
    }

    private void Add(VerificationStep step, CheckOutcome outcome, string detail)
    {
        if (HasFailed)
        {
            throw new InvalidOperationException($"Step {step} after a failed step.");
        }
        if (_checks.Count > 0 && _checks[^1].Step >= step)
        {
            throw new InvalidOperationException($"Step {step} out of order.");
        }
        foreach (var skipped in Steps.Where(s => s < step && _checks.All(c => c.Step != s)))
        {
            throw new InvalidOperationException($"Step {skipped} was not run before {step}.");
        }
        _checks.Add(new VerificationCheck { Step = step, Outcome = outcome, Detail = detail });
    }
}

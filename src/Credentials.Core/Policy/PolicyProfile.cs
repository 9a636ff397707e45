using Credentials.V1;

namespace Credentials.Core.Policy;

/// <summary>
/// The province-specific numbers of the rules, as configuration rather than constants: pass
/// rates, the integrity record period, switches. The defaults follow the 2024 Liaoning plan
/// (高级职称评审通过率原则上不超过50%) and the three-year record period of 职称评审管理暂行规定.
/// </summary>
public sealed class PolicyProfile
{
    /// <summary>A name for logs and the README, e.g. "liaoning-2024".</summary>
    public string Name { get; set; } = "liaoning-2024";

    /// <summary>
    /// The highest share of reviewed applicants that may pass, per level, when a batch states how
    /// many were reviewed. Liaoning: 0.5 for senior titles of 评聘分开 series. Shanxi expresses it
    /// as elimination rates: senior >= 20% (0.8), intermediate >= 10% (0.9).
    /// </summary>
    public Dictionary<TitleLevel, double> MaxPassRate { get; set; } = new()
    {
        [TitleLevel.FullSenior] = 0.5,
        [TitleLevel.DeputySenior] = 0.5,
    };

    /// <summary>How long a misconduct record stays active (记录期限). Default 3 years.</summary>
    public int MisconductRecordYears { get; set; } = 3;

    /// <summary>
    /// The longest validity of a committee's accreditation (核准备案) in whole years: a window (at
    /// creation or renewal) ends at the latest the day before the same date that many years later.
    /// National rule (职称评审管理暂行规定): 3 years.
    /// </summary>
    public int AccreditationMaxYears { get; set; } = 3;

    /// <summary>Refuse to issue to a holder with an active applicant misconduct record (on by default).</summary>
    public bool RefuseIssuanceWithActiveRecord { get; set; } = true;

    /// <summary>The Shanxi 2024 profile (山西省 2024 年度职称评审工作的通知 三(五)).</summary>
    public static PolicyProfile Shanxi2024() => new()
    {
        Name = "shanxi-2024",
        MaxPassRate = new()
        {
            [TitleLevel.FullSenior] = 0.8,
            [TitleLevel.DeputySenior] = 0.8,
            [TitleLevel.Intermediate] = 0.9,
        },
    };
}

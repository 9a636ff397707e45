using Credentials.V1;

namespace Credentials.Core.Committees;

/// <summary>
/// An accredited scope (评审范围、专业领域、评审层级): the series, specialties and levels a
/// committee reviews, in force from <see cref="EffectiveDate"/> until the next scope's.
/// </summary>
public sealed record AccreditedScope(
    string Series,
    IReadOnlyList<string> Specialties,
    IReadOnlyList<TitleLevel> Levels,
    string DecisionDocument,
    DateOnly EffectiveDate,
    DateTimeOffset RecordedAt,
    string RecordedBy)
{
    /// <summary>Whether both accredit the same series, specialties and levels (order aside).</summary>
    public bool Accredits(AccreditedScope other) =>
        Series == other.Series
        && Specialties.ToHashSet(StringComparer.Ordinal).SetEquals(other.Specialties)
        && Levels.ToHashSet().SetEquals(other.Levels);
}

using Credentials.Cli.Hosting;
using Credentials.Cli.Verification;
using Credentials.V1;

namespace Credentials.Cli.Committees;

/// <summary>How a committee reads in text output: its scope and window in force, then its history.</summary>
internal static class CommitteeText
{
    public static void Write(Output output, Committee committee)
    {
        output.Line($"{committee.Code}  {EnumNames.Short(committee.State)}  accreditation {EnumNames.Short(committee.AccreditationStatus)}");
        output.Fields(
            ("name", committee.Name),
            ("organizer", $"{committee.Organizer}, {committee.Region}"),
            ("scope", Scope(committee.Series, committee.Specialties, committee.Levels)),
            ("accredited", $"{VerifiedCertificateText.Date(committee.AccreditedFrom)} to {VerifiedCertificateText.Date(committee.AccreditedUntil)}"),
            ("meets", committee.MeetingSchedule),
            ("last change", committee.LastStateChange is { } change
                ? $"{EnumNames.Short(change.State)} from {VerifiedCertificateText.Date(change.EffectiveDate)} ({change.DecisionDocument}: {change.Reason})"
                : null));
        if (committee.Accreditations.Count > 0)
        {
            output.Line("  accreditations:");
            foreach (var window in committee.Accreditations)
            {
                output.Line($"    {VerifiedCertificateText.Date(window.ValidFrom)} to {VerifiedCertificateText.Date(window.ValidUntil)}  "
                    + $"{Document(window.DecisionDocument)}  {Recorded(window.RecordTime, window.RecordedBy)}");
            }
        }
        if (committee.ScopeHistory.Count > 0)
        {
            output.Line("  scopes:");
            foreach (var scope in committee.ScopeHistory)
            {
                output.Line($"    from {VerifiedCertificateText.Date(scope.EffectiveDate)}  {Scope(scope.Series, scope.Specialties, scope.Levels)}  "
                    + $"{Document(scope.DecisionDocument)}  {Recorded(scope.RecordTime, scope.RecordedBy)}");
            }
        }
    }

    /// <summary>"工程系列 / 建筑工程, 岩土工程 (DEPUTY_SENIOR)".</summary>
    public static string Scope(string series, IEnumerable<string> specialties, IEnumerable<TitleLevel> levels) =>
        $"{series} / {string.Join(", ", specialties)} ({string.Join(", ", levels.Select(EnumNames.Short))})";

    private static string Document(string document) => document.Length == 0 ? "(at creation)" : document;

    private static string Recorded(Google.Protobuf.WellKnownTypes.Timestamp? time, string by) =>
        $"recorded {time?.ToDateTimeOffset():yyyy-MM-dd}{(by.Length == 0 ? "" : " by " + by)}";
}

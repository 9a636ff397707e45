using System.Globalization;
using Credentials.Cli.Hosting;
using Credentials.Core.Time;
using Credentials.V1;

namespace Credentials.Cli.Certificates;

/// <summary>
/// A certificate's content from named text values: the columns of an issuance CSV, which are
/// also the issue command's options (holder_name is --name, the others --column-name with
/// dashes). Only the format is checked here; the server checks the rules.
/// </summary>
internal static class SpecFields
{
    public const string HolderName = "holder_name";
    public const string DocumentType = "document_type";
    public const string DocumentNumber = "document_number";
    public const string Series = "series";
    public const string Specialty = "specialty";
    public const string Level = "level";
    public const string TitleName = "title_name";
    public const string ReviewMeetingDate = "review_meeting_date";
    public const string ReviewYear = "review_year";
    public const string QualificationDate = "qualification_date";
    public const string ApprovalDocument = "approval_document";

    /// <summary>Every column; document_type (default resident-id-card) and review_year (default: the meeting's year) may be left out.</summary>
    public static readonly string[] All =
    [
        HolderName, DocumentType, DocumentNumber, Series, Specialty, Level, TitleName,
        ReviewMeetingDate, ReviewYear, QualificationDate, ApprovalDocument,
    ];

    public static readonly string[] Optional = [DocumentType, ReviewYear];

    /// <summary>Builds the spec, or throws with every problem of <paramref name="where"/> ("line 3", "options") listed.</summary>
    public static CertificateSpec Build(IReadOnlyDictionary<string, string?> values, string where, Func<string, string> describe)
    {
        var problems = new List<string>();
        string Text(string field)
        {
            var value = values.GetValueOrDefault(field)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                problems.Add($"{describe(field)} is missing");
                return "";
            }
            return value;
        }
        T Parse<T>(string field, string? fallback, Func<string, T> parse)
        {
            var value = values.GetValueOrDefault(field)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                if (fallback is null)
                {
                    problems.Add($"{describe(field)} is missing");
                    return default!;
                }
                value = fallback;
            }
            try
            {
                return parse(value);
            }
            catch (FormatException e)
            {
                problems.Add($"{describe(field)}: {e.Message}");
                return default!;
            }
        }

        var meeting = Parse(ReviewMeetingDate, null, Date);
        var spec = new CertificateSpec
        {
            Holder = new Holder
            {
                Name = Text(HolderName),
                DocumentType = Parse(DocumentType, "resident-id-card", EnumNames.ParseValue<V1.DocumentType>),
                DocumentNumber = Text(DocumentNumber),
            },
            Series = Text(Series),
            Specialty = Text(Specialty),
            Level = Parse(Level, null, EnumNames.ParseValue<TitleLevel>),
            TitleName = Text(TitleName),
            ReviewMeetingDate = Dates.ToProto(meeting),
            ReviewYear = Parse(ReviewYear, meeting.Year.ToString(CultureInfo.InvariantCulture), v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                ? year : throw new FormatException($"'{v}' is not a year")),
            QualificationDate = Dates.ToProto(Parse(QualificationDate, null, Date)),
            ApprovalDocument = Text(ApprovalDocument),
        };
        if (problems.Count > 0)
        {
            throw new UsageException($"{where}: {string.Join("; ", problems)}.");
        }
        return spec;
    }

    private static DateOnly Date(string text) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
        ? date : throw new FormatException($"'{text}' is not a date yyyy-MM-dd");
}

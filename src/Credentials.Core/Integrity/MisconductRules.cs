using Credentials.Core.Certificates;
using Credentials.Core.Committees;
using Credentials.Core.Identity;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.V1;

namespace Credentials.Core.Integrity;

/// <summary>
/// The well-formedness of misconduct records and rescissions (INVALID_ARGUMENT). Sources: Shanxi
/// 2024 四(三)(四), Liaoning 2024 (八), DESIGN.md "Integrity record".
/// </summary>
public static class MisconductRules
{
    public const int MaxCertificates = 20;

    /// <summary>Validates and normalises a record; adds a violation per bad field (paths under <paramref name="prefix"/>).</summary>
    public static MisconductContent? Validate(MisconductRecord? record, string prefix, DateOnly today, Violations violations)
    {
        record ??= new MisconductRecord();
        var before = violations.Items.Count;
        var subject = ValidateSubject(record.Subject, prefix + "subject.", today, violations);

        if (record.Type == MisconductType.Unspecified || !Enum.IsDefined(record.Type))
        {
            violations.Add(prefix + "type", "must be a defined misconduct type");
        }
        else if (IsDefinedRole(record.Subject?.Role ?? SubjectRole.Unspecified) && !MisconductTypes.Fits(record.Type, record.Subject!.Role))
        {
            violations.Add(prefix + "type", $"{record.Type} is not misconduct of a subject in role {record.Subject.Role}");
        }
        var otherType = Text.Normalize(record.OtherType);
        violations.AddIf(prefix + "other_type", record.Type == MisconductType.Other
            ? Text.Check(otherType, 1, 50)
            : otherType.Length > 0 ? "must be empty unless type is MISCONDUCT_TYPE_OTHER" : null);
        var facts = Text.Normalize(record.Facts);
        violations.AddIf(prefix + "facts", Text.Check(facts, 1, 1000));
        var document = Text.Normalize(record.DecisionDocument);
        violations.AddIf(prefix + "decision_document", Text.Check(document, 1, 100));
        var body = Text.Normalize(record.DecidingBody);
        violations.AddIf(prefix + "deciding_body", Text.Check(body, 1, 100));
        var decided = PastDate(record.DecisionDate, today, prefix + "decision_date", violations);
        var code = CommitteeCode.Normalize(record.CommitteeCode);
        if (code.Length > 0)
        {
            violations.AddIf(prefix + "committee_code", CommitteeCode.Check(code));
        }
        var numbers = ValidateCertificates(record, prefix + "certificate_numbers", violations);

        return violations.Items.Count > before
            ? null
            : new MisconductContent(subject!, record.Type, otherType, facts, document, body, decided!.Value, code, numbers);
    }

    /// <summary>A normalised copy of the request's rescission and its date (empty means today).</summary>
    public static (Rescission Rescission, DateOnly DecisionDate) ValidateRescission(Rescission? requested, DateOnly today, string prefix, Violations violations)
    {
        requested ??= new Rescission();
        var rescission = new Rescission
        {
            Reason = Text.Normalize(requested.Reason),
            DecisionDocument = Text.Normalize(requested.DecisionDocument),
        };
        violations.AddIf(prefix + "reason", Text.Check(rescission.Reason, 1, 500));
        violations.AddIf(prefix + "decision_document", Text.Check(rescission.DecisionDocument, 1, 100));
        var decided = Dates.IsEmpty(requested.DecisionDate) ? today : PastDate(requested.DecisionDate, today, prefix + "decision_date", violations);
        return (rescission, decided ?? today);
    }

    /// <summary>
    /// The misconduct part of a revocation (fields under <paramref name="prefix"/>): required for a
    /// reason of fraud, which records misconduct (<see cref="MisconductTypes.ForRevocation"/>), and
    /// refused for any other, which records nothing. Null when there is none or it is invalid.
    /// </summary>
    public static MisconductFinding? ValidateFinding(RevocationReason reason, FraudFinding? finding, string prefix, Violations violations)
    {
        finding ??= new FraudFinding();
        var unit = Text.Normalize(finding.Unit);
        var facts = Text.Normalize(finding.Facts);
        var body = Text.Normalize(finding.DecidingBody);
        if (MisconductTypes.ForRevocation(reason) is null)
        {
            if (unit.Length + facts.Length + body.Length > 0)
            {
                violations.Add(prefix.TrimEnd('.'),
                    "must be empty unless the revocation is for fraud (false materials, plagiarism, improper means), which records misconduct");
            }
            return null;
        }
        var before = violations.Items.Count;
        violations.AddIf(prefix + "unit", Text.Check(unit, 1, 100));
        violations.AddIf(prefix + "facts", Text.Check(facts, 1, 1000));
        violations.AddIf(prefix + "deciding_body", Text.Check(body, 1, 100));
        return violations.Items.Count > before ? null : new MisconductFinding(unit, facts, body);
    }

    /// <summary>Validates the subject's role, name, document and unit.</summary>
    public static MisconductSubject? ValidateSubject(Subject? subject, string prefix, DateOnly today, Violations violations)
    {
        subject ??= new Subject();
        var before = violations.Items.Count;
        if (!IsDefinedRole(subject.Role))
        {
            violations.Add(prefix + "role", "must be a defined subject role");
        }
        var name = Text.Normalize(subject.Name);
        violations.AddIf(prefix + "name", HolderName.Check(name));
        var number = ValidateDocument(subject.DocumentType, subject.DocumentNumber, prefix, today, violations);
        var unit = Text.Normalize(subject.Unit);
        violations.AddIf(prefix + "unit", Text.Check(unit, 1, 100));
        return violations.Items.Count > before ? null : new MisconductSubject(subject.Role, name, subject.DocumentType, number, unit);
    }

    /// <summary>Checks a document type and number (fields "document_type", "document_number" under <paramref name="prefix"/>); returns the normalised number.</summary>
    public static string ValidateDocument(DocumentType type, string? rawNumber, string prefix, DateOnly today, Violations violations)
    {
        var number = IdentityDocument.Normalize(rawNumber);
        if (type == DocumentType.Unspecified || !Enum.IsDefined(type))
        {
            violations.Add(prefix + "document_type", "must be a defined document type");
        }
        else
        {
            violations.AddIf(prefix + "document_number", IdentityDocument.Check(type, number, today));
        }
        return number;
    }

    public static bool IsDefinedRole(SubjectRole role) => role != SubjectRole.Unspecified && Enum.IsDefined(role);

    private static List<string> ValidateCertificates(MisconductRecord record, string field, Violations violations)
    {
        var numbers = new List<string>();
        if (record.CertificateNumbers.Count == 0)
        {
            return numbers;
        }
        if (record.Subject?.Role != SubjectRole.Applicant || !MisconductTypes.IsApplicantFraud(record.Type))
        {
            violations.Add(field, "only records of applicant fraud (false materials, plagiarism, improper means, untrue declaration) name certificates, which they revoke");
        }
        if (record.CertificateNumbers.Count > MaxCertificates)
        {
            violations.Add(field, $"must have at most {MaxCertificates} entries");
        }
        for (var i = 0; i < record.CertificateNumbers.Count && i < MaxCertificates; i++)
        {
            var parsed = CertificateNumber.Parse(record.CertificateNumbers[i], out var error);
            violations.AddIf($"{field}[{i}]", error);
            if (parsed is not null)
            {
                if (numbers.Contains(parsed.Number))
                {
                    violations.Add($"{field}[{i}]", "appears twice");
                }
                numbers.Add(parsed.Number);
            }
        }
        return numbers;
    }

    private static DateOnly? PastDate(Google.Type.Date? date, DateOnly today, string field, Violations violations)
    {
        var value = Dates.ToDateOnly(date);
        if (value is null)
        {
            violations.Add(field, "must be a valid date");
        }
        else if (value > today)
        {
            violations.Add(field, "must not be in the future");
            return null;
        }
        return value;
    }
}

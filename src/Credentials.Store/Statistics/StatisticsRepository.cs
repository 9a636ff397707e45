using Credentials.Core.Time;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Statistics;

/// <summary>Certificates by year, committee, series and level (issued, and of those revoked).</summary>
public sealed record CertificateTally(long ReviewYear, string CommitteeCode, string Series, long Level, long Issued, long Revoked);

/// <summary>Revocations of one reason.</summary>
public sealed record RevocationTally(long Reason, long Count);

/// <summary>Active misconduct records of one subject role and type.</summary>
public sealed record MisconductTally(long SubjectRole, long Type, long Active);

/// <summary>All the counts of GetStatistics, read in one snapshot together with the ledger size.</summary>
public sealed record LedgerStatistics(
    IReadOnlyList<CertificateTally> Certificates, IReadOnlyList<RevocationTally> Revocations, IReadOnlyList<MisconductTally> ActiveMisconduct, long TreeSize);

/// <summary>
/// The counts the provincial platform reads (GetStatistics). "Active" is decided by the caller's dates (see
/// MisconductWindow): decided between <c>earliestActive</c> and <c>today</c> and not rescinded.
/// </summary>
public static class StatisticsRepository
{
    /// <param name="reviewYear">0 for all years (certificates and revocations only).</param>
    /// <param name="committeeCode">Empty for all committees.</param>
    public static LedgerStatistics Read(SqliteConnection connection, int reviewYear, string committeeCode, DateOnly earliestActive, DateOnly today)
    {
        // Tuples are filled by column position. One read transaction: the counts and the size describe the same moment.
        using var transaction = connection.BeginTransaction(deferred: true);
        var filter = new { year = reviewYear, code = committeeCode, earliest = Dates.ToIso(earliestActive), today = Dates.ToIso(today) };
        var certificates = connection.Query<(long Year, string Code, string Series, long Level, long Issued, long Revoked)>(
            """
            SELECT c.review_year, c.committee_code, c.series, c.level, COUNT(*) AS issued, COUNT(r.number) AS revoked
            FROM certificates c LEFT JOIN revocations r ON r.number = c.number
            WHERE (@year = 0 OR c.review_year = @year) AND (@code = '' OR c.committee_code = @code)
            GROUP BY c.review_year, c.committee_code, c.series, c.level
            ORDER BY c.review_year, c.committee_code, c.series, c.level
            """, filter, transaction).Select(r => new CertificateTally(r.Year, r.Code, r.Series, r.Level, r.Issued, r.Revoked)).ToList();
        var revocations = connection.Query<(long Reason, long Count)>(
            """
            SELECT r.reason, COUNT(*) AS count
            FROM revocations r JOIN certificates c ON c.number = r.number
            WHERE (@year = 0 OR c.review_year = @year) AND (@code = '' OR c.committee_code = @code)
            GROUP BY r.reason ORDER BY r.reason
            """, filter, transaction).Select(r => new RevocationTally(r.Reason, r.Count)).ToList();
        var misconduct = connection.Query<(long Role, long Type, long Active)>(
            """
            SELECT r.subject_role, r.type, COUNT(*) AS active
            FROM misconduct_records r
            WHERE r.decision_date >= @earliest AND r.decision_date <= @today
              AND NOT EXISTS (SELECT 1 FROM misconduct_rescissions m WHERE m.record_id = r.id)
              AND (@code = '' OR r.committee_code = @code)
            GROUP BY r.subject_role, r.type ORDER BY r.subject_role, r.type
            """, filter, transaction).Select(r => new MisconductTally(r.Role, r.Type, r.Active)).ToList();
        var size = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(seq) + 1, 0) FROM ledger_events", transaction: transaction);
        transaction.Commit();
        return new LedgerStatistics(certificates, revocations, misconduct, size);
    }
}

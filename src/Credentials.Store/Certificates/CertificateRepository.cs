using Credentials.V1;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Certificates;

/// <summary>A certificate as stored: its index columns, the bytes of its issuing event, and its revocation if any.</summary>
public sealed record StoredCertificate(
    string Number,
    string CommitteeCode,
    int ReviewYear,
    TitleLevel Level,
    string Series,
    string IssuedBy,
    byte[] IssuingEvent,
    StoredRevocation? Revocation);

public sealed record StoredRevocation(
    RevocationReason Reason,
    string Details,
    string DecisionDocument,
    string EffectiveDate,
    DateTimeOffset RecordedAt,
    string RecordedBy,
    string? MisconductRecordId);

/// <summary>A new certificate's index row; the envelope is in the ledger event <see cref="EventSequence"/>.</summary>
public sealed record CertificateRow(
    string Number,
    string CommitteeCode,
    int ReviewYear,
    int Serial,
    TitleLevel Level,
    string Series,
    byte[] HolderDigest,
    long EventSequence,
    string IssuedBy);

/// <summary>Certificates and their revocations.</summary>
public static class CertificateRepository
{
    private const string SelectStored = """
        SELECT c.number, c.committee_code, c.review_year, c.level, c.series, c.issued_by, e.body AS issuing_event,
               r.reason, r.details, r.decision_document, r.effective_date, r.recorded_at, r.recorded_by, r.misconduct_record_id
        FROM certificates c
        JOIN ledger_events e ON e.seq = c.event_seq
        LEFT JOIN revocations r ON r.number = c.number
        """;

    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, CertificateRow row) =>
        connection.Execute(
            """
            INSERT INTO certificates (number, committee_code, review_year, serial, level, series, holder_digest, event_seq, issued_by)
            VALUES (@Number, @CommitteeCode, @ReviewYear, @Serial, @Level, @Series, @HolderDigest, @EventSequence, @IssuedBy)
            """,
            new { row.Number, row.CommitteeCode, row.ReviewYear, row.Serial, Level = (int)row.Level, row.Series, row.HolderDigest, row.EventSequence, row.IssuedBy },
            transaction);

    public static StoredCertificate? Get(SqliteConnection connection, string number, SqliteTransaction? transaction = null) =>
        connection.Query<Row>(SelectStored + " WHERE c.number = @number", new { number }, transaction).Select(r => r.ToStored()).SingleOrDefault();

    /// <summary>Certificates after <paramref name="afterNumber"/> in number order; empty filters match all.</summary>
    public static IReadOnlyList<StoredCertificate> List(SqliteConnection connection, string afterNumber, int limit,
        string committeeCode, int reviewYear, CertificateState state, TitleLevel level) =>
        connection.Query<Row>(
            SelectStored + """
             WHERE c.number > @afterNumber
               AND (@committeeCode = '' OR c.committee_code = @committeeCode)
               AND (@reviewYear = 0 OR c.review_year = @reviewYear)
               AND (@level = 0 OR c.level = @level)
               AND (@state = 0 OR (@state = 2) = (r.number IS NOT NULL))
             ORDER BY c.number LIMIT @limit
            """,
            new { afterNumber, committeeCode, reviewYear, level = (int)level, state = (int)state, limit }).Select(r => r.ToStored()).ToList();

    /// <summary>
    /// A valid (unrevoked) certificate of the same holder, year and level, if there is one:
    /// 同一年度不得取得不同系列、不同专业的同级职称.
    /// </summary>
    public static string? FindSameLevelInYear(SqliteConnection connection, SqliteTransaction transaction, byte[] holderDigest, int reviewYear, TitleLevel level) =>
        connection.QueryFirstOrDefault<string>(
            """
            SELECT c.number FROM certificates c
            WHERE c.holder_digest = @holderDigest AND c.review_year = @reviewYear AND c.level = @level
              AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.number = c.number)
            """,
            new { holderDigest, reviewYear, level = (int)level }, transaction);

    /// <summary>The holder digest (HolderDigests.Lookup) of a certificate, or null when there is no such certificate.</summary>
    public static byte[]? HolderDigest(SqliteConnection connection, string number, SqliteTransaction? transaction = null) =>
        connection.QuerySingleOrDefault<byte[]>("SELECT holder_digest FROM certificates WHERE number = @number", new { number }, transaction);

    /// <summary>The highest serial a committee used in a review year (0 if none): one step down the (committee, year, serial) index.</summary>
    public static int MaxSerial(SqliteConnection connection, string committeeCode, int reviewYear, SqliteTransaction? transaction = null) =>
        connection.ExecuteScalar<int>(
            "SELECT COALESCE(MAX(serial), 0) FROM certificates WHERE committee_code = @committeeCode AND review_year = @reviewYear",
            new { committeeCode, reviewYear }, transaction);

    public static void InsertRevocation(SqliteConnection connection, SqliteTransaction transaction, string number, Revocation revocation,
        string effectiveDate, DateTimeOffset now, string recordedBy, long eventSequence) =>
        connection.Execute(
            """
            INSERT INTO revocations (number, reason, details, decision_document, effective_date, recorded_at, recorded_by, misconduct_record_id, event_seq)
            VALUES (@number, @reason, @details, @document, @effectiveDate, @now, @recordedBy, @record, @eventSequence)
            """,
            new
            {
                number, reason = (int)revocation.Reason, details = revocation.Details, document = revocation.DecisionDocument, effectiveDate,
                now = now.ToUnixTimeMilliseconds(), recordedBy, record = revocation.MisconductRecordId.Length == 0 ? null : revocation.MisconductRecordId,
                eventSequence,
            },
            transaction);

    private sealed record Row(string Number, string CommitteeCode, long ReviewYear, long Level, string Series, string IssuedBy, byte[] IssuingEvent,
        long? Reason, string? Details, string? DecisionDocument, string? EffectiveDate, long? RecordedAt, string? RecordedBy, string? MisconductRecordId)
    {
        public StoredCertificate ToStored() => new(
            Number, CommitteeCode, (int)ReviewYear, (TitleLevel)Level, Series, IssuedBy, IssuingEvent,
            Reason is null
                ? null
                : new StoredRevocation((RevocationReason)Reason.Value, Details!, DecisionDocument!, EffectiveDate!,
                    DateTimeOffset.FromUnixTimeMilliseconds(RecordedAt!.Value), RecordedBy!, MisconductRecordId));
    }
}

using Credentials.Core.Time;
using Credentials.V1;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Integrity;

/// <summary>A record as stored: its id and decision date, and the bytes of its recording and (if any) rescinding events.</summary>
public sealed record StoredMisconduct(string Id, DateOnly DecisionDate, byte[] RecordedEvent, byte[]? RescindedEvent);

/// <summary>A new record's index row; its content is the ledger event <see cref="EventSequence"/>.</summary>
public sealed record MisconductRow(
    string Id,
    int RecordYear,
    int Serial,
    byte[] SubjectDigest,
    SubjectRole SubjectRole,
    MisconductType Type,
    string CommitteeCode,
    DateOnly DecisionDate,
    long EventSequence);

/// <summary>What ListMisconduct filters by; empty or unspecified values match all.</summary>
public sealed record MisconductFilter(
    SubjectRole Role,
    MisconductType Type,
    string CommitteeCode,
    MisconductState State,
    DateOnly? DecidedFrom,
    DateOnly? DecidedUntil);

/// <summary>
/// Misconduct records (诚信档案), their revoked certificates and rescissions. Which records are
/// active is decided by the caller's <c>earliestActive</c> decision date (see MisconductWindow):
/// the store keeps no state that changes with time.
/// </summary>
public static class IntegrityRepository
{
    private const string SelectStored = """
        SELECT r.id, r.decision_date, e.body AS recorded_event, x.body AS rescinded_event
        FROM misconduct_records r
        JOIN ledger_events e ON e.seq = r.event_seq
        LEFT JOIN misconduct_rescissions m ON m.record_id = r.id
        LEFT JOIN ledger_events x ON x.seq = m.event_seq
        """;

    /// <summary>The next serial of a year (inside the writer, so no other write can take it meanwhile).</summary>
    public static int NextSerial(SqliteConnection connection, SqliteTransaction transaction, int year) =>
        connection.ExecuteScalar<int>("SELECT COALESCE(MAX(serial), 0) + 1 FROM misconduct_records WHERE record_year = @year", new { year }, transaction);

    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, MisconductRow row, IReadOnlyList<string> certificateNumbers)
    {
        connection.Execute(
            """
            INSERT INTO misconduct_records (id, record_year, serial, subject_digest, subject_role, type, committee_code, decision_date, event_seq)
            VALUES (@Id, @RecordYear, @Serial, @SubjectDigest, @Role, @Type, @Committee, @Decided, @EventSequence)
            """,
            new
            {
                row.Id, row.RecordYear, row.Serial, row.SubjectDigest, Role = (int)row.SubjectRole, Type = (int)row.Type,
                Committee = row.CommitteeCode.Length == 0 ? null : row.CommitteeCode, Decided = Dates.ToIso(row.DecisionDate), row.EventSequence,
            },
            transaction);
        connection.Execute(
            "INSERT INTO misconduct_certificates (record_id, number, position) VALUES (@id, @number, @position)",
            certificateNumbers.Select((number, position) => new { id = row.Id, number, position }),
            transaction);
    }

    public static void InsertRescission(SqliteConnection connection, SqliteTransaction transaction, string recordId, DateOnly decisionDate, long eventSequence) =>
        connection.Execute(
            "INSERT INTO misconduct_rescissions (record_id, decision_date, event_seq) VALUES (@recordId, @decided, @eventSequence)",
            new { recordId, decided = Dates.ToIso(decisionDate), eventSequence },
            transaction);

    public static StoredMisconduct? Get(SqliteConnection connection, string id, SqliteTransaction? transaction = null) =>
        connection.Query<Row>(SelectStored + " WHERE r.id = @id", new { id }, transaction).Select(r => r.ToStored()).SingleOrDefault();

    /// <summary>A person's records (of one role, or all for unspecified), newest decision first.</summary>
    public static IReadOnlyList<StoredMisconduct> BySubject(SqliteConnection connection, byte[] digest, SubjectRole role) =>
        connection.Query<Row>(
            SelectStored + """
             WHERE r.subject_digest = @digest AND (@role = 0 OR r.subject_role = @role)
             ORDER BY r.decision_date DESC, r.id DESC
            """,
            new { digest, role = (int)role }).Select(r => r.ToStored()).ToList();

    /// <summary>The id of an active record of a person in a role, if there is one.</summary>
    public static string? FindActive(SqliteConnection connection, byte[] digest, SubjectRole role, DateOnly earliestActive, SqliteTransaction? transaction = null) =>
        connection.QueryFirstOrDefault<string>(
            """
            SELECT r.id FROM misconduct_records r
            WHERE r.subject_digest = @digest AND r.subject_role = @role AND r.decision_date >= @earliest
              AND NOT EXISTS (SELECT 1 FROM misconduct_rescissions m WHERE m.record_id = r.id)
            ORDER BY r.id LIMIT 1
            """,
            new { digest, role = (int)role, earliest = Dates.ToIso(earliestActive) }, transaction);

    /// <summary>Records after <paramref name="afterId"/> in id order that match <paramref name="filter"/> on the day <paramref name="earliestActive"/> was computed for.</summary>
    public static IReadOnlyList<StoredMisconduct> List(SqliteConnection connection, string afterId, int limit, MisconductFilter filter, DateOnly earliestActive) =>
        connection.Query<Row>(
            SelectStored + """
             WHERE r.id > @afterId
               AND (@role = 0 OR r.subject_role = @role)
               AND (@type = 0 OR r.type = @type)
               AND (@committee = '' OR r.committee_code = @committee)
               AND (@from = '' OR r.decision_date >= @from)
               AND (@until = '' OR r.decision_date <= @until)
               AND (@state = 0
                    OR (@state = 3 AND m.record_id IS NOT NULL)
                    OR (@state = 1 AND m.record_id IS NULL AND r.decision_date >= @earliest)
                    OR (@state = 2 AND m.record_id IS NULL AND r.decision_date < @earliest))
             ORDER BY r.id LIMIT @limit
            """,
            new
            {
                afterId, limit, role = (int)filter.Role, type = (int)filter.Type, committee = filter.CommitteeCode,
                from = filter.DecidedFrom is { } from ? Dates.ToIso(from) : "",
                until = filter.DecidedUntil is { } until ? Dates.ToIso(until) : "",
                state = (int)filter.State, earliest = Dates.ToIso(earliestActive),
            }).Select(r => r.ToStored()).ToList();

    private sealed record Row(string Id, string DecisionDate, byte[] RecordedEvent, byte[]? RescindedEvent)
    {
        public StoredMisconduct ToStored() => new(Id, Dates.FromIso(DecisionDate), RecordedEvent, RescindedEvent);
    }
}

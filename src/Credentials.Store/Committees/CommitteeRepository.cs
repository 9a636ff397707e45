using Credentials.Core.Committees;
using Credentials.Core.Time;
using Credentials.V1;
using Dapper;
using Microsoft.Data.Sqlite;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Store.Committees;

/// <summary>
/// Committees, their scope and their history: state changes, accreditation windows and scopes,
/// each appended and never changed (migration 0009). The committees row and its specialties and
/// levels hold the scope in force and the latest window.
/// </summary>
public static class CommitteeRepository
{
    public static Committee? Get(SqliteConnection connection, string code, SqliteTransaction? transaction = null)
    {
        var row = connection.QuerySingleOrDefault<CommitteeRow>(
            "SELECT * FROM committees WHERE code = @code", new { code }, transaction);
        return row is null ? null : Load(connection, [row], transaction)[0];
    }

    /// <summary>
    /// Committees after <paramref name="afterCode"/> in code order, with optional filters; the
    /// accreditation status is the one on <paramref name="today"/>, as <see cref="Committee.AccreditationOn"/> computes it.
    /// </summary>
    public static IReadOnlyList<Committee> List(SqliteConnection connection, string afterCode, int limit, CommitteeState state, string series,
        AccreditationStatus accreditation, DateOnly today)
    {
        var rows = connection.Query<CommitteeRow>(
            """
            SELECT * FROM committees c
            WHERE code > @afterCode
              AND (@state = 0 OR state = @state)
              AND (@series = '' OR series = @series)
              -- AccreditationStatus: 1 VALID, 2 EXPIRED, 3 NOT_YET_VALID, as Committee.AccreditationOn decides.
              AND (@accreditation = 0 OR @accreditation = CASE
                WHEN EXISTS (SELECT 1 FROM committee_accreditations a
                             WHERE a.committee_code = c.code AND a.valid_from <= @today AND a.valid_until >= @today) THEN 1
                WHEN EXISTS (SELECT 1 FROM committee_accreditations a
                             WHERE a.committee_code = c.code AND a.valid_from <= @today) THEN 2
                ELSE 3 END)
            ORDER BY code LIMIT @limit
            """,
            new { afterCode, state = (int)state, series, accreditation = (int)accreditation, today = Dates.ToIso(today), limit }).AsList();
        return rows.Count == 0 ? [] : Load(connection, rows, null);
    }

    /// <summary>Stores a new committee with its first window and scope (<see cref="Committee.Windows"/>, <see cref="Committee.ScopeHistory"/>).</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, Committee committee)
    {
        connection.Execute(
            """
            INSERT INTO committees (code, name, organizer, region, series, accredited_from, accredited_until, state, meeting_schedule, created_at, updated_at)
            VALUES (@Code, @Name, @Organizer, @Region, @Series, @From, @Until, @State, @MeetingSchedule, @Created, @Created)
            """,
            new
            {
                committee.Code, committee.Name, committee.Organizer, committee.Region, committee.Series,
                From = Dates.ToIso(committee.AccreditedFrom), Until = Dates.ToIso(committee.AccreditedUntil),
                State = (int)committee.State, committee.MeetingSchedule, Created = committee.CreatedAt.ToUnixTimeMilliseconds(),
            },
            transaction);
        InsertCurrentScope(connection, transaction, committee.Code, committee.Specialties, committee.Levels);
        foreach (var window in committee.Windows())
        {
            InsertWindow(connection, transaction, committee.Code, window);
        }
        foreach (var scope in committee.ScopeHistory())
        {
            InsertScope(connection, transaction, committee.Code, scope);
        }
    }

    public static void AppendStateChange(SqliteConnection connection, SqliteTransaction transaction, string code, CommitteeStateChange change)
    {
        connection.Execute(
            """
            INSERT INTO committee_state_changes (committee_code, state, reason, decision_document, effective_date, recorded_at, recorded_by)
            VALUES (@code, @state, @reason, @document, @effective, @recorded, @by);
            UPDATE committees SET state = @state, updated_at = @recorded WHERE code = @code;
            """,
            new
            {
                code, state = (int)change.State, reason = change.Reason, document = change.DecisionDocument,
                effective = Dates.ToIso(change.EffectiveDate), recorded = change.RecordedAt.ToUnixTimeMilliseconds(), by = change.RecordedBy,
            },
            transaction);
    }

    /// <summary>Appends a renewal; it becomes the latest window.</summary>
    public static void AppendAccreditation(SqliteConnection connection, SqliteTransaction transaction, string code, AccreditationWindow window)
    {
        InsertWindow(connection, transaction, code, window);
        connection.Execute(
            "UPDATE committees SET accredited_from = @from, accredited_until = @until, updated_at = @recorded WHERE code = @code",
            new { code, from = Dates.ToIso(window.ValidFrom), until = Dates.ToIso(window.ValidUntil), recorded = window.RecordedAt.ToUnixTimeMilliseconds() },
            transaction);
    }

    /// <summary>Appends a scope; it becomes the scope in force.</summary>
    public static void AppendScope(SqliteConnection connection, SqliteTransaction transaction, string code, AccreditedScope scope)
    {
        InsertScope(connection, transaction, code, scope);
        connection.Execute(
            """
            UPDATE committees SET series = @series, updated_at = @recorded WHERE code = @code;
            DELETE FROM committee_specialties WHERE committee_code = @code;
            DELETE FROM committee_levels WHERE committee_code = @code;
            """,
            new { code, series = scope.Series, recorded = scope.RecordedAt.ToUnixTimeMilliseconds() },
            transaction);
        InsertCurrentScope(connection, transaction, code, scope.Specialties, scope.Levels);
    }

    private static void InsertCurrentScope(SqliteConnection connection, SqliteTransaction transaction, string code,
        IReadOnlyList<string> specialties, IReadOnlyList<TitleLevel> levels)
    {
        connection.Execute(
            "INSERT INTO committee_specialties (committee_code, specialty, position) VALUES (@code, @specialty, @position)",
            specialties.Select((specialty, position) => new { code, specialty, position }),
            transaction);
        connection.Execute(
            "INSERT INTO committee_levels (committee_code, level) VALUES (@code, @level)",
            levels.Select(level => new { code, level = (int)level }),
            transaction);
    }

    private static void InsertWindow(SqliteConnection connection, SqliteTransaction transaction, string code, AccreditationWindow window) =>
        connection.Execute(
            """
            INSERT INTO committee_accreditations (committee_code, valid_from, valid_until, decision_document, recorded_at, recorded_by)
            VALUES (@code, @from, @until, @document, @recorded, @by)
            """,
            new
            {
                code, from = Dates.ToIso(window.ValidFrom), until = Dates.ToIso(window.ValidUntil), document = window.DecisionDocument,
                recorded = window.RecordedAt.ToUnixTimeMilliseconds(), by = window.RecordedBy,
            },
            transaction);

    private static void InsertScope(SqliteConnection connection, SqliteTransaction transaction, string code, AccreditedScope scope)
    {
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO committee_scopes (committee_code, series, decision_document, effective_date, recorded_at, recorded_by)
            VALUES (@code, @series, @document, @effective, @recorded, @by)
            RETURNING id
            """,
            new
            {
                code, series = scope.Series, document = scope.DecisionDocument, effective = Dates.ToIso(scope.EffectiveDate),
                recorded = scope.RecordedAt.ToUnixTimeMilliseconds(), by = scope.RecordedBy,
            },
            transaction);
        connection.Execute(
            "INSERT INTO committee_scope_specialties (scope_id, position, specialty) VALUES (@id, @position, @specialty)",
            scope.Specialties.Select((specialty, position) => new { id, position, specialty }),
            transaction);
        connection.Execute(
            "INSERT INTO committee_scope_levels (scope_id, level) VALUES (@id, @level)",
            scope.Levels.Select(level => new { id, level = (int)level }),
            transaction);
    }

    private static List<Committee> Load(SqliteConnection connection, List<CommitteeRow> rows, SqliteTransaction? transaction)
    {
        var codes = rows.Select(r => r.Code).ToArray();
        var specialties = connection.Query<(string Code, string Specialty)>(
            "SELECT committee_code, specialty FROM committee_specialties WHERE committee_code IN @codes ORDER BY committee_code, position",
            new { codes }, transaction).ToLookup(s => s.Code, s => s.Specialty);
        var levels = connection.Query<(string Code, int Level)>(
            "SELECT committee_code, level FROM committee_levels WHERE committee_code IN @codes ORDER BY committee_code, level",
            new { codes }, transaction).ToLookup(l => l.Code, l => (TitleLevel)l.Level);
        var history = connection.Query<StateChangeRow>(
            "SELECT * FROM committee_state_changes WHERE committee_code IN @codes ORDER BY id",
            new { codes }, transaction).ToLookup(h => h.CommitteeCode);
        var windows = connection.Query<WindowRow>(
            "SELECT * FROM committee_accreditations WHERE committee_code IN @codes ORDER BY id",
            new { codes }, transaction).ToLookup(w => w.CommitteeCode, w => w.ToWindow());
        var scopes = LoadScopes(connection, codes, transaction);
        return rows.Select(r => new Committee(
            r.Code, r.Name, r.Organizer, r.Region, r.Series,
            specialties[r.Code].ToList(), levels[r.Code].ToList(),
            Dates.FromIso(r.AccreditedFrom), Dates.FromIso(r.AccreditedUntil),
            (CommitteeState)r.State, r.MeetingSchedule,
            history[r.Code].Select(h => new CommitteeStateChange(
                (CommitteeState)h.State, h.Reason, h.DecisionDocument, Dates.FromIso(h.EffectiveDate),
                DateTimeOffset.FromUnixTimeMilliseconds(h.RecordedAt), h.RecordedBy)).ToList(),
            DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt))
        {
            Accreditations = windows[r.Code].ToList(),
            Scopes = scopes[r.Code].ToList(),
        }).ToList();
    }

    private static ILookup<string, AccreditedScope> LoadScopes(SqliteConnection connection, string[] codes, SqliteTransaction? transaction)
    {
        var rows = connection.Query<ScopeRow>(
            "SELECT * FROM committee_scopes WHERE committee_code IN @codes ORDER BY id",
            new { codes }, transaction).AsList();
        var ids = rows.Select(s => s.Id).ToArray();
        var specialties = connection.Query<(long ScopeId, string Specialty)>(
            "SELECT scope_id, specialty FROM committee_scope_specialties WHERE scope_id IN @ids ORDER BY scope_id, position",
            new { ids }, transaction).ToLookup(s => s.ScopeId, s => s.Specialty);
        var levels = connection.Query<(long ScopeId, int Level)>(
            "SELECT scope_id, level FROM committee_scope_levels WHERE scope_id IN @ids ORDER BY scope_id, level",
            new { ids }, transaction).ToLookup(l => l.ScopeId, l => (TitleLevel)l.Level);
        return rows.ToLookup(s => s.CommitteeCode, s => new AccreditedScope(
            s.Series, specialties[s.Id].ToList(), levels[s.Id].ToList(), s.DecisionDocument, Dates.FromIso(s.EffectiveDate),
            DateTimeOffset.FromUnixTimeMilliseconds(s.RecordedAt), s.RecordedBy));
    }

    private sealed record CommitteeRow(
        string Code, string Name, string Organizer, string Region, string Series, string AccreditedFrom,
        string AccreditedUntil, long State, string MeetingSchedule, long CreatedAt, long UpdatedAt);

    private sealed record StateChangeRow(
        long Id, string CommitteeCode, long State, string Reason, string DecisionDocument, string EffectiveDate,
        long RecordedAt, string RecordedBy);

    private sealed record WindowRow(
        long Id, string CommitteeCode, string ValidFrom, string ValidUntil, string DecisionDocument, long RecordedAt, string RecordedBy)
    {
        public AccreditationWindow ToWindow() => new(Dates.FromIso(ValidFrom), Dates.FromIso(ValidUntil), DecisionDocument,
            DateTimeOffset.FromUnixTimeMilliseconds(RecordedAt), RecordedBy);
    }

    private sealed record ScopeRow(
        long Id, string CommitteeCode, string Series, string DecisionDocument, string EffectiveDate, long RecordedAt, string RecordedBy);
}

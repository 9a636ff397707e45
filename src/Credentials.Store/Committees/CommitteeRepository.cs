using Credentials.Core.Committees;
using Credentials.Core.Time;
using Credentials.V1;
using Dapper;
using Microsoft.Data.Sqlite;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Store.Committees;

/// <summary>Committees, their scope and their state history.</summary>
public static class CommitteeRepository
{
    public static Committee? Get(SqliteConnection connection, string code, SqliteTransaction? transaction = null)
    {
        var row = connection.QuerySingleOrDefault<CommitteeRow>(
            "SELECT * FROM committees WHERE code = @code", new { code }, transaction);
        return row is null ? null : Load(connection, [row], transaction)[0];
    }

    /// <summary>Committees after <paramref name="afterCode"/> in code order, with optional filters.</summary>
    public static IReadOnlyList<Committee> List(SqliteConnection connection, string afterCode, int limit, CommitteeState state, string series)
    {
        var rows = connection.Query<CommitteeRow>(
            """
            SELECT * FROM committees
            WHERE code > @afterCode
              AND (@state = 0 OR state = @state)
              AND (@series = '' OR series = @series)
            ORDER BY code LIMIT @limit
            """,
            new { afterCode, state = (int)state, series, limit }).AsList();
        return rows.Count == 0 ? [] : Load(connection, rows, null);
    }

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
        connection.Execute(
            "INSERT INTO committee_specialties (committee_code, specialty, position) VALUES (@code, @specialty, @position)",
            committee.Specialties.Select((specialty, position) => new { code = committee.Code, specialty, position }),
            transaction);
        connection.Execute(
            "INSERT INTO committee_levels (committee_code, level) VALUES (@code, @level)",
            committee.Levels.Select(level => new { code = committee.Code, level = (int)level }),
            transaction);
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
        return rows.Select(r => new Committee(
            r.Code, r.Name, r.Organizer, r.Region, r.Series,
            specialties[r.Code].ToList(), levels[r.Code].ToList(),
            Dates.FromIso(r.AccreditedFrom), Dates.FromIso(r.AccreditedUntil),
            (CommitteeState)r.State, r.MeetingSchedule,
            history[r.Code].Select(h => new CommitteeStateChange(
                (CommitteeState)h.State, h.Reason, h.DecisionDocument, Dates.FromIso(h.EffectiveDate),
                DateTimeOffset.FromUnixTimeMilliseconds(h.RecordedAt), h.RecordedBy)).ToList(),
            DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt))).ToList();
    }

    private sealed record CommitteeRow(
        string Code, string Name, string Organizer, string Region, string Series, string AccreditedFrom,
        string AccreditedUntil, long State, string MeetingSchedule, long CreatedAt, long UpdatedAt);

    private sealed record StateChangeRow(
        long Id, string CommitteeCode, long State, string Reason, string DecisionDocument, string EffectiveDate,
        long RecordedAt, string RecordedBy);
}

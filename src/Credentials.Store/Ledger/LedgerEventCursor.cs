using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Ledger;

/// <summary>
/// Reads ledger events in leaf order, in batches, with one prepared statement for the whole stream. Each batch
/// is one range query on the primary key (or a filter index), so a stream of millions of events costs one
/// statement step per event and no per-batch planning.
/// </summary>
public sealed class LedgerEventCursor : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _from;
    private readonly SqliteParameter _limit;

    /// <param name="end">One past the last leaf index to read (the tree size the stream covers).</param>
    public LedgerEventCursor(SqliteConnection connection, LedgerEventFilter filter, long end)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT seq, body FROM ledger_events WHERE seq >= $from AND seq < $end");
        if (filter.Types.Count > 0)
        {
            sql.Append(" AND type IN (");
            for (var i = 0; i < filter.Types.Count; i++)
            {
                var name = "$t" + i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "" : ", ").Append(name);
                _command.Parameters.AddWithValue(name, filter.Types[i]);
            }
            sql.Append(')');
        }
        if (filter.CommitteeCode is { } code)
        {
            sql.Append(" AND committee_code = $committee");
            _command.Parameters.AddWithValue("$committee", code);
        }
        if (filter.ReviewYear is { } year)
        {
            sql.Append(" AND review_year = $year");
            _command.Parameters.AddWithValue("$year", year);
        }
        _command.CommandText = sql.Append(" ORDER BY seq LIMIT $limit").ToString();
        _from = _command.Parameters.Add("$from", SqliteType.Integer);
        _limit = _command.Parameters.Add("$limit", SqliteType.Integer);
        _command.Parameters.AddWithValue("$end", end);
        End = end;
    }

    /// <summary>One past the last leaf index this cursor reads.</summary>
    public long End { get; }

    /// <summary>
    /// Reads up to <paramref name="limit"/> matching events from leaf <paramref name="from"/> on, stopping early
    /// once their bytes reach <paramref name="maxBytes"/>. Returns the next cursor: every leaf below it has been
    /// read or does not match; <see cref="End"/> when the range is exhausted.
    /// </summary>
    public long Read(long from, int limit, int maxBytes, List<LedgerEventRow> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        _from.Value = from;
        _limit.Value = limit;
        var read = 0;
        var bytes = 0L;
        var next = End;
        using var reader = _command.ExecuteReader();
        while (reader.Read())
        {
            var sequence = reader.GetInt64(0);
            var body = reader.GetFieldValue<byte[]>(1);
            into.Add(new LedgerEventRow(sequence, body));
            read++;
            bytes += body.Length;
            if (read == limit || bytes >= maxBytes)
            {
                // Rows may follow: resume right after this one.
                next = sequence + 1;
                break;
            }
        }
        return next;
    }

    public void Dispose() => _command.Dispose();
}

/// <summary>An event as stored: its leaf index and its exact bytes.</summary>
public readonly record struct LedgerEventRow(long Sequence, byte[] Body);

using Credentials.Server.Tests.Integrity;
using Credentials.Store;
using Credentials.Sync;
using Credentials.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Ledger;

/// <summary>
/// The provincial platform's sync (clients/Credentials.Sync) against the real server over HTTP/2, and what it
/// catches when someone with access to the server's database file changes history behind the service's back.
/// </summary>
public sealed class PlatformSyncTests : LedgerServerTest, IDisposable
{
    private readonly TempDirectory _platform = new();

    private string MirrorPath => Path.Combine(_platform.Path, "mirror.db");

    private async Task<(int Code, string Output, string Error)> SyncAsync()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SyncCommand.RunAsync(["--server", Server.Address.ToString(), "--mirror", MirrorPath], Platform, output, error);
        SqliteConnection.ClearAllPools();
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs SQL on the server's database file directly, as an intruder with file access would.</summary>
    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Server.Services.GetRequiredService<Database>().Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(command.ExecuteNonQuery() > 0, $"tampering changed nothing: {sql}");
    }

    private List<byte[]> Mirrored()
    {
        using var mirror = new Mirror(MirrorPath);
        return [.. mirror.Events(0, long.MaxValue).Select(e => e.Body)];
    }

    [Fact]
    public async Task Sync_FromZeroThenIncrementally_MirrorsTheServersEventsExactly()
    {
        var first = await SyncAsync();
        await Server.IssueAsync(11, Committee);
        await Server.IssueAsync(12, Committee);
        var second = await SyncAsync();

        Assert.Equal(SyncCommand.Synced, first.Code);
        Assert.Contains("pinned log key credentials.example.cn/ledger+", first.Output, StringComparison.Ordinal);
        Assert.Equal(SyncCommand.Synced, second.Code);
        var size = StoredEvents().Length;
        Assert.Contains($"synced {size - 2} -> {size} leaves (2 new events)", second.Output, StringComparison.Ordinal);
        Assert.Equal(StoredEvents(), Mirrored());
    }

    [Fact]
    public async Task Sync_EventBytesEditedInTheServersDatabase_FailsLoudly()
    {
        Assert.Equal(SyncCommand.Synced, (await SyncAsync()).Code);
        var certificate = await Server.IssueAsync(11, Committee);
        await Server.IssueAsync(12, Committee);
        // Change one byte of the new issuance event: the stored nodes still commit to the original.
        Tamper("UPDATE ledger_events SET body = CAST(substr(body, 1, 40) || (CASE WHEN substr(body, 41, 1) = X'41' THEN X'42' ELSE X'41' END) || substr(body, 42) AS BLOB) " +
            $"WHERE seq = (SELECT event_seq FROM certificates WHERE number = '{certificate.Number}')");

        var (code, _, error) = await SyncAsync();

        Assert.Equal(SyncCommand.VerificationFailed, code);
        Assert.Contains("VERIFICATION FAILED", error, StringComparison.Ordinal);
        Assert.Contains("an event was altered", error, StringComparison.Ordinal);
        Assert.Equal(StoredEvents().Length - 2, Mirrored().Count);
    }

    [Fact]
    public async Task Sync_EventDeletedFromTheServersDatabase_FailsLoudly()
    {
        Assert.Equal(SyncCommand.Synced, (await SyncAsync()).Code);
        var certificate = await Server.IssueAsync(11, Committee);
        await Server.IssueAsync(12, Committee);
        Tamper($"PRAGMA foreign_keys = OFF; DELETE FROM ledger_events WHERE seq = (SELECT event_seq FROM certificates WHERE number = '{certificate.Number}')");

        var (code, _, error) = await SyncAsync();

        Assert.Equal(SyncCommand.VerificationFailed, code);
        Assert.Contains("is missing from the stream", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_HistoryRewrittenWithFreshTreeNodes_FailsTheConsistencyCheck()
    {
        Assert.Equal(SyncCommand.Synced, (await SyncAsync()).Code);
        var verified = StoredEvents().Length;
        // Roll the last two synced events back, nodes and all, and let the service write new ones in their place:
        // the new history is internally perfect, but it is not an extension of what the platform verified.
        var cut = verified - 2;
        Tamper($"PRAGMA foreign_keys = OFF; DELETE FROM certificates WHERE event_seq >= {cut}; DELETE FROM ledger_events WHERE seq >= {cut}; " +
            $"DELETE FROM merkle_nodes WHERE ((idx + 1) << level) > {cut}");
        for (var person = 21; person <= 24; person++)
        {
            await Server.IssueAsync(person, Committee);
        }

        var (code, _, error) = await SyncAsync();

        Assert.Equal(SyncCommand.VerificationFailed, code);
        Assert.Contains("history was rewritten", error, StringComparison.Ordinal);
        Assert.Equal(verified, Mirrored().Count);
    }

    [Fact]
    public async Task Sync_LogTruncatedBelowTheMirror_FailsLoudly()
    {
        Assert.Equal(SyncCommand.Synced, (await SyncAsync()).Code);
        var size = StoredEvents().Length;
        Tamper($"PRAGMA foreign_keys = OFF; DELETE FROM certificates WHERE event_seq = {size - 1}; DELETE FROM ledger_events WHERE seq = {size - 1}");

        var (code, _, error) = await SyncAsync();

        Assert.Equal(SyncCommand.VerificationFailed, code);
        Assert.Contains("history was deleted", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_WithoutToken_NotSyncedAndSaysWhy()
    {
        var error = new StringWriter();

        var code = await SyncCommand.RunAsync(["--server", Server.Address.ToString(), "--mirror", MirrorPath], null, TextWriter.Null, error);

        Assert.Equal(SyncCommand.NotSynced, code);
        Assert.Contains("UNAUTHENTICATED", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _platform.Dispose();
}

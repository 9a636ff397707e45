using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.Store;
using Credentials.Testing;
using Credentials.V1;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Operations;

/// <summary>
/// <c>credentials-server backup</c> while the real server serves and issues, and
/// <c>restore</c>: refused under a running server, over a store without --force, and from a
/// damaged file; a restored store serves the backed-up certificates.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly TempDirectory _files = new();
    private TestServer _server = null!;
    private string _committee = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedDalianCommitteesAsync();
        _committee = await _server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _files.Dispose();
    }

    private Task<IssueCertificateResponse> IssueAsync(int person) =>
        _server.Certificates(_committee).IssueCertificateAsync(Issue($"r{person}", person)).ResponseAsync;

    private static async Task<(int Code, string Output)> AdminAsync(params string[] args)
    {
        var output = new StringWriter();
        var code = await AdminCommands.RunAsync(args, output, output);
        return (code, output.ToString());
    }

    private static long Count(string databaseFile, string table)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Fact]
    public async Task Backup_WhileServingAndIssuing_CopyPassesIntegrityCheckAndHoldsEveryEarlierCertificate()
    {
        for (var person = 1; person <= 20; person++)
        {
            await IssueAsync(person);
        }
        var file = Path.Combine(_files.Path, "credentials.backup");

        var load = Task.WhenAll(Enumerable.Range(100, 40).Select(IssueAsync));
        var (code, output) = await AdminAsync("backup", file, "--data-dir", _server.DataDir);
        await load;

        Assert.True(code == 0, output);
        Assert.Contains("integrity ok", output, StringComparison.Ordinal);
        Assert.InRange(Count(file, "certificates"), 20, 60);
        Assert.Equal("ok", new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False").QuerySingle<string>("PRAGMA integrity_check"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.False(File.Exists(file + "-wal"));
    }

    [Fact]
    public async Task Backup_FileExists_IsRefusedWithoutForce()
    {
        var file = Path.Combine(_files.Path, "credentials.backup");
        await File.WriteAllTextAsync(file, "keep me");

        var (refused, _) = await AdminAsync("backup", file, "--data-dir", _server.DataDir);
        var kept = await File.ReadAllTextAsync(file);
        var (forced, output) = await AdminAsync("backup", "--force", file, "--data-dir", _server.DataDir);

        Assert.Equal(1, refused);
        Assert.Equal("keep me", kept);
        Assert.True(forced == 0, output);
    }

    [Fact]
    public async Task Restore_WhileTheServerRuns_IsRefusedAndChangesNothing()
    {
        await IssueAsync(1);
        var file = Path.Combine(_files.Path, "credentials.backup");
        await AdminAsync("backup", file, "--data-dir", _server.DataDir);
        await IssueAsync(2);

        var (code, output) = await AdminAsync("restore", file, "--force", "--data-dir", _server.DataDir);
        var certificates = Count(_server.Services.GetRequiredService<Database>().Path, "certificates");

        Assert.Equal(1, code);
        Assert.Contains("in use", output, StringComparison.Ordinal);
        Assert.Equal(2, certificates);
    }

    [Fact]
    public async Task Restore_IntoAStoppedStore_NeedsForceThenServesTheBackedUpCertificates()
    {
        var issued = (await IssueAsync(1)).Certificate;
        var file = Path.Combine(_files.Path, "credentials.backup");
        await AdminAsync("backup", file, "--data-dir", _server.DataDir);
        var target = Path.Combine(_files.Path, "restored");
        CopyDirectory(_server.DataDir, target);

        var (refused, refusal) = await AdminAsync("restore", file, "--data-dir", target);
        var (restored, output) = await AdminAsync("restore", file, "--force", "--data-dir", target);

        Assert.Equal(1, refused);
        Assert.Contains("--force", refusal, StringComparison.Ordinal);
        Assert.True(restored == 0, output);
        Assert.Contains("1 certificates", output, StringComparison.Ordinal);
        await _server.DisposeAsync();
        _server = await TestServer.StartOnAsync(target);
        var found = await _server.Certificates(_committee).GetCertificateAsync(new GetCertificateRequest { Number = issued.Number });
        Assert.Equal(issued.QrText, found.Certificate.QrText);
    }

    [Theory]
    [InlineData("not a database")]
    [InlineData("truncated")]
    public async Task Restore_DamagedBackup_IsRefusedBeforeTouchingTheStore(string damage)
    {
        await IssueAsync(1);
        var file = Path.Combine(_files.Path, "credentials.backup");
        await AdminAsync("backup", file, "--data-dir", _server.DataDir);
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, damage == "truncated" ? bytes[..(bytes.Length / 2)] : "SQLite format 3\0garbage"u8.ToArray());
        var target = Path.Combine(_files.Path, "empty");

        var (code, output) = await AdminAsync("restore", file, "--data-dir", target);

        Assert.True(code == 1, output);
        Assert.False(File.Exists(Path.Combine(target, Database.FileName)));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != DataDirectoryLock.FileName))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}

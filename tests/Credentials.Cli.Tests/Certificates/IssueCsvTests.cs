using System.Text;
using Credentials.Cli.Certificates;
using Credentials.Cli.Hosting;
using Credentials.V1;

namespace Credentials.Cli.Tests.Certificates;

public sealed class IssueCsvTests : CliServerTest
{
    private const string Header = "holder_name,document_number,series,specialty,level,title_name,review_meeting_date,qualification_date,approval_document";

    [Fact]
    public async Task IssueCsv_FiveRowsInChunksOfTwo_IssuesAllWithProgressOnStderr()
    {
        var csv = await WriteCsvAsync(Enumerable.Range(10, 5).Select(p => Row(p)));

        var run = await RunAsync(CommitteeToken, "issue", "--committee", "DL-S01", "--csv", csv, "--chunk-size", "2", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(5, (int?)run.Json["issued"]);
        Assert.Equal(3, (int?)run.Json["batches"]);
        Assert.Equal([2, 3, 4, 5, 6], run.Json["certificates"]!.AsArray().Select(c => (int)c!["row"]!));
        Assert.Contains("] 0/5 certificates (0%)", run.Error, StringComparison.Ordinal);
        Assert.Contains("] 2/5 certificates (40%)", run.Error, StringComparison.Ordinal);
        Assert.Contains("[##############################] 5/5 certificates (100%)", run.Error, StringComparison.Ordinal);
        Assert.Equal(5, (await ListAsync()).Certificates.Count);
    }

    [Fact]
    public async Task IssueCsv_RunAgainAfterARefusedChunk_ResumesWithoutIssuingTwice()
    {
        // Row 4 (the second chunk) is outside DL-S01's scope: chunk 1 is issued, chunk 2 refused.
        var rows = new[] { Row(20), Row(21), Row(22, specialty: "计量"), Row(23) };
        var csv = await WriteCsvAsync(rows);

        var failed = await RunAsync(CommitteeToken, "issue", "--committee", "DL-S01", "--csv", csv, "--chunk-size", "2");

        Assert.Equal(ExitCodes.Refused, failed.ExitCode);
        Assert.Contains("the 2 certificates of chunks 1 to 1 are issued", failed.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await ListAsync()).Certificates.Count);

        rows[2] = Row(22);
        await WriteCsvAsync(rows, csv);
        var resumed = await RunAsync(CommitteeToken, "issue", "--committee", "DL-S01", "--csv", csv, "--chunk-size", "2");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(4, (await ListAsync()).Certificates.Count);
    }

    [Fact]
    public async Task IssueCsv_InvalidItem_ErrorNamesTheCsvRow()
    {
        var csv = await WriteCsvAsync([Row(30), Row(31), Row(32, id: "210202198001010000")]);

        var run = await RunAsync(CommitteeToken, "issue", "--committee", "DL-S01", "--csv", csv, "--json");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains(run.Json["error"]!["fields"]!.AsArray(), f => (string?)f!["field"] == "items[2] (row 4).holder.document_number");
        Assert.Empty((await ListAsync()).Certificates);
    }

    [Fact]
    public async Task IssueCsv_MalformedRows_ExitsUsageListingEveryRowAndSendsNothing()
    {
        var csv = await WriteCsvAsync([Row(40), Row(41).Replace("2024-10-25", "2024/10/25", StringComparison.Ordinal), "a,b", Row(43).Replace("deputy-senior", "boss", StringComparison.Ordinal)]);

        var run = await RunAsync(CommitteeToken, "issue", "--committee", "DL-S01", "--csv", csv);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("3 row(s) are wrong; nothing was issued", run.Error, StringComparison.Ordinal);
        Assert.Contains("row 3: review_meeting_date: '2024/10/25' is not a date yyyy-MM-dd", run.Error, StringComparison.Ordinal);
        Assert.Contains("row 4: 2 fields, the header has 9", run.Error, StringComparison.Ordinal);
        Assert.Contains("row 5: level: 'boss' is not one of", run.Error, StringComparison.Ordinal);
        Assert.Empty((await ListAsync()).Certificates);
    }

    [Fact]
    public async Task IssueCsv_WithContentOptions_ExitsUsage()
    {
        var csv = await WriteCsvAsync([Row(50)]);

        var run = await RunAsync(CommitteeToken, "issue", "--committee", "DL-S01", "--csv", csv, "--name", "张伟");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("leave out --name", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownAndMissingColumns_ThrowsNamingThem()
    {
        var e = Assert.Throws<UsageException>(() => CertificateCsv.Parse("holder_name,colour\nx,y\n", "t.csv"));

        Assert.Contains("unknown columns colour", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing columns document_number, series", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SampleFile_GivesFiveSpecsWithDefaults()
    {
        var rows = CertificateCsv.Read(Path.Combine(AppContext.BaseDirectory, "samples", "dl-s01-2024-session.csv"));

        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(DocumentType.ResidentIdCard, r.Spec.Holder.DocumentType));
        Assert.All(rows, r => Assert.Equal(2024, r.Spec.ReviewYear));
        Assert.Equal(["李明", "王芳", "刘洋", "陈静", "赵磊"], rows.Select(r => r.Spec.Holder.Name));
    }

    [Fact]
    public async Task IssueCsv_SampleFile_Issues()
    {
        var run = await RunAsync(CommitteeToken, "issue", "--committee", "DL-S01", "--csv", Path.Combine(AppContext.BaseDirectory, "samples", "dl-s01-2024-session.csv"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Issued 5 certificates in 1 batch(es).", run.Out, StringComparison.Ordinal);
    }

    private static string Row(int person, string specialty = "建筑工程", string? id = null) =>
        $"张伟{(char)('甲' + person % 10)},{id ?? IdNumber(person)},工程系列,{specialty},deputy-senior,高级工程师,2024-10-25,2024-12-01,\"大人社发〔2024〕15号\"";

    private async Task<string> WriteCsvAsync(IEnumerable<string> rows, string? path = null)
    {
        path ??= PathOf($"{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, Header + "\n" + string.Join("\n", rows) + "\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        return path;
    }

    private Task<ListCertificatesResponse> ListAsync() => AuthorityCertificates.ListCertificatesAsync(new ListCertificatesRequest()).ResponseAsync;
}

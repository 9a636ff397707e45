using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Credentials.Core.Certificates;
using Credentials.Core.Committees;
using Credentials.Core.Envelopes;
using Credentials.Core.Identity;
using Credentials.Server.Committees;
using Credentials.Server.Hosting;
using Credentials.Server.Keys;
using Credentials.Store;
using Credentials.Store.Certificates;
using Credentials.Store.Writing;
using Credentials.V1;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Bench;

/// <summary>
/// Fills a new data directory with realistic certificates, fast: numbered by the server's serial
/// allocator, signed in parallel with the real key, and written through the server's writer in
/// big units of work with the store's own repositories (ledger events, Merkle nodes, certificate
/// rows), one committee and review year a batch. The issuer's rule checks (scope, misconduct
/// records, one title per level and year) are left out: the data satisfy them by construction,
/// each holder is a different person. Spread over the 30 Dalian committees of the
/// sample table, their specialties and levels, and review years 2020 to 2025. Writes the
/// numbers (one a line, with the holder's name) to numbers.txt for the load scripts, then
/// reports the store's size per certificate, table by table.
/// </summary>
internal static class GenerateCommand
{
    private static readonly string[] Surnames = ["张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
        "刚", "桂英", "建华", "志强", "晓东", "海燕", "丹", "鹏", "宇", "欣然"];
    private static readonly string[] Regions = ["210202", "210203", "210204", "210211", "210212", "210213", "210214", "210281", "210283"];

    public static Command Create()
    {
        var dataDirectory = new Option<DirectoryInfo>("--data-dir") { Description = "A new (or empty) directory to fill", Required = true };
        dataDirectory.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<DirectoryInfo>() is { } directory && File.Exists(Path.Combine(directory.FullName, Database.FileName)))
            {
                result.AddError($"--data-dir {directory.FullName} already holds a store; generate fills a new (or empty) directory.");
            }
        });
        var count = BenchOptions.Count("--count", 1000000, "Certificates to generate");
        var batch = BenchOptions.Count("--batch", 5000, "Certificates per unit of work (one committee and review year)");
        var parallel = BenchOptions.Count("--parallel", 2, "Batches signed in parallel");
        var command = new Command("generate", "Fill a new store with realistic certificates for the verification benchmarks") { dataDirectory, count, batch, parallel };
        command.SetAction(parse => RunAsync(parse.GetValue(dataDirectory)!.FullName, parse.GetValue(count), parse.GetValue(batch), parse.GetValue(parallel)));
        return command;
    }

    private static async Task<int> RunAsync(string dataDir, int count, int batchSize, int parallel)
    {

        var clock = Stopwatch.StartNew();
        await using (var app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--Logging:LogLevel:Default", "Warning"]))
        {
            await Startup.InitializeAsync(app.Services, TextWriter.Null);
            var committees = await SeedAsync(app.Services);
            var key = app.Services.GetRequiredService<KeyRing>().Active;
            var digests = app.Services.GetRequiredService<HolderDigests>();
            var serials = app.Services.GetRequiredService<SerialAllocator>();
            var writer = app.Services.GetRequiredService<StoreWriter>();
            var batches = (count + batchSize - 1) / batchSize;
            var next = -1;
            var issued = 0;
            await using var numbers = new StreamWriter(Path.Combine(dataDir, "numbers.txt"));
            var gate = new SemaphoreSlim(1, 1);
            await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < batches)
                {
                    var random = new Random(b);
                    var committee = committees[random.Next(committees.Count)];
                    var year = 2020 + random.Next(6);
                    var size = Math.Min(batchSize, count - b * batchSize);
                    var contents = Enumerable.Range(b * batchSize, size).Select(n => Content(n, committee, year, random)).ToArray();
                    var first = serials.Reserve(committee.Code, [(year, size)]).First(year);
                    var serialNumbers = contents.Select((_, i) => first + i).ToArray();
                    var issuedAt = DateTimeOffset.UtcNow;
                    var rows = new (CertificateRow Row, LedgerEvent Event)[size];
                    // Signed in parallel with the real key, as the issuer does for a batch.
                    Parallel.For(0, size, i =>
                    {
                        var content = contents[i];
                        var number = CertificateNumber.Format(committee.Code, year, serialNumbers[i]);
                        var envelope = EnvelopeSigner.SignCertificate(CertificateDocuments.Create(number, content, committee, issuedAt, key.KeyId), key);
                        rows[i] = (
                            new CertificateRow(number, committee.Code, year, serialNumbers[i], content.Level, content.Series,
                                digests.Lookup(content.DocumentType, content.DocumentNumber), 0, "generator"),
                            new LedgerEvent
                            {
                                CommitteeCode = committee.Code,
                                ReviewYear = year,
                                CertificateIssued = new CertificateIssued { Number = number, Level = content.Level, Series = content.Series, Envelope = envelope },
                            });
                    });
                    // One unit of work of the server's writer: ledger events (Merkle nodes included) and certificate rows.
                    await writer.ExecuteAsync(null, tx =>
                    {
                        foreach (var (row, change) in rows)
                        {
                            var sequence = tx.Ledger.Append(change, "generator");
                            CertificateRepository.Insert(tx.Connection, tx.Transaction, row with { EventSequence = sequence });
                        }
                        return rows.Length;
                    });
                    await gate.WaitAsync();
                    try
                    {
                        for (var i = 0; i < size; i++)
                        {
                            await numbers.WriteLineAsync($"{rows[i].Row.Number}\t{contents[i].HolderName}");
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                    var done = Interlocked.Add(ref issued, size);
                    if (done / 50_000 != (done - size) / 50_000)
                    {
                        Console.WriteLine($"{done,9} certificates, {done / clock.Elapsed.TotalSeconds:F0}/s");
                    }
                }
            })));
            await app.StopAsync();
            Console.WriteLine($"generated {issued} certificates in {clock.Elapsed.TotalSeconds:F0} s ({issued / clock.Elapsed.TotalSeconds:F0}/s)");
        }
        SqliteConnection.ClearAllPools();
        Report(dataDir);
        return 0;
    }

    private static CertificateContent Content(int n, Committee committee, int year, Random random)
    {
        var level = committee.Levels[random.Next(committee.Levels.Count)];
        var specialty = committee.Specialties[random.Next(committee.Specialties.Count)];
        var meeting = new DateOnly(year, 10, 15).AddDays(random.Next(40));
        return new CertificateContent(
            Surnames[n % Surnames.Length] + GivenNames[n / Surnames.Length % GivenNames.Length],
            DocumentType.ResidentIdCard,
            IdNumber(n),
            committee.Series,
            specialty,
            level,
            TitleName(committee.Series, level),
            meeting,
            year,
            new DateOnly(year, 12, 1),
            $"大人社发〔{year}〕{15 + random.Next(40)}号");
    }

    /// <summary>A distinct valid Dalian resident ID number for each n below 108 million.</summary>
    private static string IdNumber(int n)
    {
        var birth = new DateOnly(1960, 1, 1).AddDays((int)((long)n * 7919 % 12000));
        var first17 = string.Create(CultureInfo.InvariantCulture, $"{Regions[n / 12_000_000 % Regions.Length]}{birth:yyyyMMdd}{n / 12000 % 1000:D3}");
        return first17 + ResidentIdNumber.CheckCharacter(first17);
    }

    private static string TitleName(string series, TitleLevel level)
    {
        var (full, deputy, middle) = series switch
        {
            "工程系列" => ("正高级工程师", "高级工程师", "工程师"),
            "卫生系列" => ("主任药师", "副主任药师", "主管药师"),
            "经济系列" => ("正高级经济师", "高级经济师", "经济师"),
            "农业系列" => ("正高级农艺师", "高级农艺师", "农艺师"),
            "中小学教师系列" or "中等职业学校教师系列" or "技工学校教师系列" => ("正高级教师", "高级教师", "一级教师"),
            _ => ("正高级" + series[..^2], "副高级" + series[..^2], "中级" + series[..^2]),
        };
        return level switch
        {
            TitleLevel.FullSenior => full,
            TitleLevel.DeputySenior => deputy,
            _ => middle,
        };
    }

    private static async Task<IReadOnlyList<Committee>> SeedAsync(IServiceProvider services)
    {
        var csv = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "dalian-2024-committees.csv"));
        // Accredited since 2020, so that six review years can be generated.
        var committees = CommitteeCsv.Parse(csv, "大连市", new DateOnly(2020, 1, 1), CommitteeCsv.DefaultWindow.Until, DateTimeOffset.UtcNow);
        await services.GetRequiredService<StoreWriter>().ExecuteAsync(null, tx =>
        {
            foreach (var committee in committees)
            {
                CommitteeAccreditation.Accredit(tx, committee, "bench");
            }
            return true;
        });
        return committees;
    }

    /// <summary>Bytes per certificate, in all and per table and index (SQLite's dbstat), after a checkpoint.</summary>
    private static void Report(string dataDir)
    {
        var path = Path.Combine(dataDir, Database.FileName);
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        var certificates = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM certificates");
        var size = new FileInfo(path).Length;
        Console.WriteLine($"store: {certificates} certificates, {size / 1048576.0:F1} MiB, {size / (double)certificates:F0} bytes per certificate (WAL checkpointed)");
        try
        {
            foreach (var (name, bytes) in connection.Query<(string, long)>("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"))
            {
                Console.WriteLine($"  {name,-40} {bytes / 1048576.0,9:F1} MiB {bytes / (double)certificates,7:F0} B/certificate");
            }
        }
        catch (SqliteException e)
        {
            Console.WriteLine($"  (no per-table figures: {e.Message})");
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using Credentials.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Security;

/// <summary>The server's database and its WAL as they are on disk: every table, index and free page.</summary>
internal static class DatabaseFiles
{
    /// <summary>SHA-256 over both files: equal exactly when nothing was written.</summary>
    public static byte[] Fingerprint(TestServer server) => SHA256.HashData(Read(server));

    /// <summary>Both files as Latin-1 text, to search for what must not be stored (an ID number is ASCII digits wherever it is kept).</summary>
    public static string Text(TestServer server) => Encoding.Latin1.GetString(Read(server));

    private static byte[] Read(TestServer server)
    {
        var path = server.Services.GetRequiredService<Database>().Path;
        using var all = new MemoryStream();
        foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.CopyTo(all);
        }
        return all.ToArray();
    }
}

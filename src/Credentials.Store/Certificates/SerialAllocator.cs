using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Credentials.Core.Certificates;
using Credentials.Core.Validation;

namespace Credentials.Store.Certificates;

/// <summary>
/// Hands out certificate serials per committee and review year, before the write, so that a
/// certificate can be numbered and signed outside the single writer. Starts from the highest
/// stored serial; a serial whose issuance is then refused is not reused (numbers may have gaps,
/// never duplicates). Assumes one server process per database, which the writer needs anyway.
/// </summary>
public sealed class SerialAllocator(Database database)
{
    private readonly ConcurrentDictionary<(string Committee, int Year), StrongBox<int>> _last = new();

    public int Next(string committeeCode, int reviewYear)
    {
        var last = _last.GetOrAdd((committeeCode, reviewYear), key =>
        {
            using var connection = database.OpenReader();
            return new StrongBox<int>(CertificateRepository.MaxSerial(connection, key.Committee, key.Year));
        });
        var serial = Interlocked.Increment(ref last.Value);
        return serial <= CertificateNumber.MaxSerial
            ? serial
            : throw new RuleViolationException("SERIALS_EXHAUSTED",
                $"Committee {committeeCode} has used all {CertificateNumber.MaxSerial} serials of {reviewYear}.");
    }
}

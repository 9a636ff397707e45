namespace Credentials.Server.Tests.Telemetry;

/// <summary>
/// Tests of servers with telemetry on run alone: OpenTelemetry's providers listen to meters and
/// activity sources by name across the process, so two such servers at once would see each
/// other's calls, and their counts would not be exact.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

namespace Credentials.Bench;

/// <summary>One benchmark or generator, run as `credentials-bench NAME [options]`.</summary>
internal interface IBenchCommand
{
    string Description { get; }

    /// <summary>Runs and prints its figures; returns the process exit code.</summary>
    Task<int> RunAsync(string[] args);
}

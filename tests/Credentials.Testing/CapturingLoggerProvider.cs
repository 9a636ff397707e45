using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Credentials.Testing;

/// <summary>
/// Keeps every log entry of every level, with its message, structured values, the values of the
/// scopes it was logged in and its exception, for tests that read the logs.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>Everything logged, as one text.</summary>
    public string AllText => string.Join('\n', _entries);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} | {Describe(state)}");
            owner._scopes.ForEachScope((scope, entry) => entry.Append(" | scope: ").Append(Describe(scope)), text);
            if (exception is not null)
            {
                text.Append(" | ").Append(exception);
            }
            owner._entries.Enqueue(text.ToString());
        }

        private static string Describe<TState>(TState? state) =>
            state is IEnumerable<KeyValuePair<string, object?>> values
                ? string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"))
                : state?.ToString() ?? "";
    }
}

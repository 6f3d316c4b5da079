using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Server.Tests.Alerting.Delivery.Support;

/// <summary>Every log line at every level, with its exception's full text, to search for secrets.</summary>
public sealed class AllLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Text)> Records { get; } = new();

    public string AllText => string.Join('\n', Records.Select(r => $"{r.Category} {r.Level} {r.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(AllLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The state's values too: a structured sink would write them even when the message does not.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Records.Enqueue((category, logLevel, $"{formatter(state, exception)} {values} {exception}"));
        }
    }
}

using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Chengxin.Identity;
using Microsoft.Extensions.Logging;

namespace Chengxin.Tests.Infrastructure;

/// <summary>
/// Keeps every log line a test platform writes (Information and up, request paths included), so the
/// run can be searched for identity numbers: none may ever reach a log line or a URL.
/// </summary>
public sealed partial class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Clear() => _lines.Clear();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    /// <summary>The lines holding a valid resident identity number (checksum and all), with the number.</summary>
    public IReadOnlyList<string> LinesWithIdentityNumbers()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return [.. _lines.Where(line => Candidate().Matches(line).Any(m => ResidentIdNumber.Check(m.Value, today).IsValid))];
    }

    [GeneratedRegex(@"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")]
    private static partial Regex Candidate();

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The message, every structured value and the whole exception: whatever a log sink could store.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
        }
    }
}

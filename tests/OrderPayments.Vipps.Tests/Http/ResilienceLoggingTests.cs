using System.Net;
using Microsoft.Extensions.Logging;
using OrderPayments.Domain;

namespace OrderPayments.Vipps.Tests.Http;

/// <summary>
/// Issue 27: a provider call that succeeds writes no log line at the levels the API ships with (its appsettings.json:
/// Information, HttpClient at Warning); a failed attempt and its retry still do. Through the real <c>AddVipps</c> wiring.
/// </summary>
public sealed class ResilienceLoggingTests
{
    private static readonly PaymentReference Reference = PaymentReference.Parse("order-42-1");
    private static readonly IdempotencyKey Key = IdempotencyKey.Parse("order-42-1-capture-1");

    private static Task<OrderPayments.Vipps.EPayment.VippsModificationResponse> Capture(VippsTestHost host) =>
        host.EPayment.CaptureAsync(Reference, new Money(250, Currency.NOK), Key, CancellationToken.None);

    [Fact]
    public async Task Call_Succeeds_LogsNothingAtTheDefaultLevels()
    {
        var log = new RecordingLoggerProvider();
        using var loggers = ShippedLevels(log);
        using var host = new VippsTestHost(loggers: loggers);
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Captured250));
        await host.Tokens.GetTokenAsync(CancellationToken.None);
        log.Clear();

        await host.Drive(Capture(host));
        await host.Drive(Capture(host));

        host.Handler.ApiRequests.Count().ShouldBe(2);
        log.Entries.ShouldBeEmpty(log.Dump());
    }

    [Fact]
    public async Task Call_FailsOnceThenSucceeds_LogsTheFailedAttemptAndTheRetry()
    {
        var log = new RecordingLoggerProvider();
        using var loggers = ShippedLevels(log);
        using var host = new VippsTestHost(loggers: loggers);
        var calls = 0;
        host.Handler.Respond = (_, _) => Task.FromResult(Interlocked.Increment(ref calls) == 1
            ? FakeVippsHandler.Json(HttpStatusCode.BadGateway, """{"title":"Bad gateway"}""")
            : FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Captured250));
        await host.Tokens.GetTokenAsync(CancellationToken.None);
        log.Clear();

        await host.Drive(Capture(host));

        host.Handler.ApiRequests.Count().ShouldBe(2);
        var polly = log.Entries.Where(e => e.Category == "Polly").ToList();
        polly.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains("OnRetry", StringComparison.Ordinal), "the retry");
        polly.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains("Execution attempt", StringComparison.Ordinal) && e.Message.Contains("502", StringComparison.Ordinal), "the failed attempt");
        polly.ShouldNotContain(e => e.Level < LogLevel.Warning, $"the successful attempt: {log.Dump()}");
    }

    /// <summary>Loggers that let through what the API's shipped settings do (<c>Logging:LogLevel</c> of its appsettings.json).</summary>
    private static ILoggerFactory ShippedLevels(RecordingLoggerProvider log)
    {
        using var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("src/OrderPayments.Api/appsettings.json")));
        var levels = settings.RootElement.GetProperty("Logging").GetProperty("LogLevel").EnumerateObject()
            .Select(level => (level.Name, Level: Enum.Parse<LogLevel>(level.Value.GetString()!)))
            .ToList();
        return LoggerFactory.Create(builder =>
        {
            foreach (var (category, level) in levels)
            {
                if (category == "Default")
                {
                    builder.SetMinimumLevel(level);
                }
                else
                {
                    builder.AddFilter(category, level);
                }
            }

            builder.AddProvider(log);
        });
    }

    /// <summary>Every entry the loggers let through (the factory's filter applies first).</summary>
    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        private readonly Lock _lock = new();
        private readonly List<(string Category, LogLevel Level, string Message)> _entries = [];

        public List<(string Category, LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_lock)
                {
                    return [.. _entries];
                }
            }
        }

        public string Dump() => string.Join(Environment.NewLine, Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"));

        public void Clear()
        {
            lock (_lock)
            {
                _entries.Clear();
            }
        }

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void Dispose()
        {
        }

        private void Add(string category, LogLevel level, string message)
        {
            lock (_lock)
            {
                _entries.Add((category, level, message));
            }
        }

        private sealed class Recorder(RecordingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Add(category, logLevel, formatter(state, exception));
        }
    }
}

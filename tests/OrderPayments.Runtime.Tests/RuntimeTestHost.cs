using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime.Dispatching;

namespace OrderPayments.Runtime.Tests;

/// <summary>The real runtime wiring on a fresh SQLite file, a fake provider and a manual clock.</summary>
internal sealed class RuntimeTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly bool _ownsFile;
    private bool _started;

    public RuntimeTestHost(FakePaymentProvider? provider = null, string? databasePath = null, bool dispatcher = true, ManualTimeProvider? time = null, Dictionary<string, string?>? settings = null, bool systemClock = false)
    {
        _ownsFile = databasePath is null;
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), $"orderpayments-test-{Environment.ProcessId}-{Interlocked.Increment(ref _count)}-{Environment.TickCount64}.db");
        Provider = provider ?? new FakePaymentProvider();
        Time = time ?? new ManualTimeProvider(Start);
        var values = new Dictionary<string, string?>
        {
            ["Runtime:DatabasePath"] = DatabasePath,
            ["Runtime:DispatcherEnabled"] = dispatcher.ToString(),
            ["Runtime:LeaseDuration"] = "00:00:02",
            ["Runtime:ExternalWorkPollInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton(systemClock ? TimeProvider.System : Time);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IPaymentProvider>(Provider);
        services.AddOrderPaymentsRuntime(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        _services = services.BuildServiceProvider(validateScopes: true);
    }

    private static int _count;

    public string DatabasePath { get; }

    public FakePaymentProvider Provider { get; }

    public ManualTimeProvider Time { get; }

    public EmbeddedOrderPaymentClient Client => _services.GetRequiredService<EmbeddedOrderPaymentClient>();

    public RuntimeDispatcher Dispatcher => _services.GetRequiredService<RuntimeDispatcher>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public async Task<RuntimeTestHost> StartAsync()
    {
        foreach (var service in _services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        _started = true;
        return this;
    }

    public static PaymentRequest Request(string orderId = "order-1", long amount = 1000) =>
        new(OrderId.Parse(orderId), new Money(amount, Currency.NOK), "Two books", UserFlow.WebRedirect, "https://shop.example/return");

    /// <summary>Waits (at most 10 s of real time) until the order satisfies the condition.</summary>
    public async Task<OrderPaymentSnapshot> WaitFor(string orderId, Func<OrderPaymentSnapshot, bool> condition, string what)
    {
        var snapshot = await Client.WaitForAsync(OrderId.Parse(orderId), condition, TimeSpan.FromSeconds(10), CancellationToken.None);
        if (snapshot is null)
        {
            var current = await Client.GetAsync(OrderId.Parse(orderId), CancellationToken.None);
            throw new TimeoutException($"Order {orderId} did not reach '{what}'; it is {current?.State.Status} with {current?.PendingSignals} pending signals.");
        }

        return snapshot;
    }

    public Task<OrderPaymentSnapshot> WaitForStatus(string orderId, PaymentStatus status) =>
        WaitFor(orderId, s => s.State.Status == status && s.PendingSignals == 0, status.ToString());

    /// <summary>Waits until the dispatcher has been through a full cycle after this call (its step count moves past a marker order).</summary>
    public async Task Quiesce()
    {
        var marker = $"marker-{Interlocked.Increment(ref _count)}";
        await Client.StartAsync(Request(marker), CancellationToken.None);
        await WaitFor(marker, s => s.State.Status != PaymentStatus.Creating, "created");
    }

    /// <summary>Runs SQL on the file directly, behind the runtime's back (to corrupt or inspect what it stored).</summary>
    public object? Sql(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    /// <summary>How many rows of <paramref name="table"/> belong to the order.</summary>
    public long Rows(string table, string orderId) =>
        (long)Sql($"SELECT COUNT(*) FROM {table} WHERE instance_id = $id", ("$id", orderId))!;

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            foreach (var service in _services.GetServices<IHostedService>().Reverse())
            {
                await service.StopAsync(CancellationToken.None);
            }
        }

        await _services.DisposeAsync();
        if (_ownsFile)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(DatabasePath + suffix);
            }
        }
    }
}

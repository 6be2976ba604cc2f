using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderPayments.Vipps.AccessToken;
using OrderPayments.Vipps.EPayment;
using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Vipps.Tests;

/// <summary>The real <see cref="VippsServiceCollectionExtensions.AddVipps"/> wiring over a fake Vipps and a manual clock.</summary>
internal sealed class VippsTestHost : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    /// <param name="settings">Overrides of the test settings.</param>
    /// <param name="loggers">The loggers the clients and their resilience pipelines write to; none when null.</param>
    public VippsTestHost(Dictionary<string, string?>? settings = null, ILoggerFactory? loggers = null)
    {
        Time = new ManualTimeProvider(Start);
        Handler = new FakeVippsHandler(Time);
        var values = new Dictionary<string, string?>
        {
            ["Vipps:BaseUrl"] = "https://apitest.vipps.no",
            ["Vipps:ClientId"] = "client-id-1",
            ["Vipps:ClientSecret"] = "client-secret-1",
            ["Vipps:SubscriptionKey"] = "subscription-key-1",
            ["Vipps:MerchantSerialNumber"] = "123456",
            ["Vipps:SystemName"] = "acme-shop",
            ["Vipps:SystemVersion"] = "3.1.2",
            ["Vipps:PluginName"] = "acme-orderpayments",
            ["Vipps:PluginVersion"] = "4.5.6",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(loggers ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), loggers is null ? typeof(NullLogger<>) : typeof(Logger<>));
        services.AddVipps(configuration);
        services.ConfigureHttpClientDefaults(builder => builder.ConfigurePrimaryHttpMessageHandler(() => Handler));
        _services = services.BuildServiceProvider(validateScopes: true);
    }

    public ManualTimeProvider Time { get; }

    public FakeVippsHandler Handler { get; }

    public VippsEPaymentClient EPayment => _services.GetRequiredService<VippsEPaymentClient>();

    public VippsWebhooksClient Webhooks => _services.GetRequiredService<VippsWebhooksClient>();

    public VippsAccessTokenProvider Tokens => _services.GetRequiredService<VippsAccessTokenProvider>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Moves the manual clock in small steps until the task completes (at most 10 s of real time).</summary>
    public async Task<T> Drive<T>(Task<T> task, TimeSpan? step = null)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (elapsed.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("The call did not complete while the clock was driven.");
            }

            Time.Advance(step ?? TimeSpan.FromMilliseconds(250));
            await Task.Delay(2);
        }

        return await task;
    }

    public async Task Drive(Task task) => await Drive(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default));

    public void Dispose() => _services.Dispose();
}

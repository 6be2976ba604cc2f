using System.Collections.Concurrent;
using System.Reflection;
using DurableWorker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderPayments.Api.Tests;
using OrderPayments.Application.Hosting;
using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Functions.Tests.Host;

/// <summary>
/// The Functions app as the Functions host runs it, in the test process (the host itself cannot run here): the worker's
/// services built by the app's own <see cref="FunctionsApp.CreateBuilder"/> with the settings of
/// <c>local.settings.sample.json</c>; every function class created per invocation by the worker's own activator
/// (<see cref="IFunctionActivator"/>) and invoked through its real signature: the orchestrator and the activities by the
/// Durable Task engine (the SDK's worker over the Azure Storage backend on Azurite, <see cref="AzureStorageEngine"/>),
/// the HTTP functions for the requests that reach their routes (an <see cref="HttpRequestData"/> made of the request,
/// the <see cref="HttpResponseData"/> written back), the timers on a short schedule. As an <see cref="IApiEngine"/>, it
/// takes over the API host's <c>/api</c> routes that the app declares, so the same scenarios, simulator and helpers run
/// against the Functions app's bindings. What the host does around an invocation and is not played here: function keys
/// (auth levels are checked in <c>functions.metadata</c>), retries of failed timer invocations, and scale-out.
/// </summary>
internal sealed class FunctionsEngine : IApiEngine
{
    /// <summary>Where the API keeps the webhook registration it made (see <see cref="VippsWebhookSubscription"/>): its secret is the Functions app's <c>Vipps__WebhookSecret</c>.</summary>
    private const string WebhookStoreKey = "vipps.webhook";

    private readonly string _storage;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(FunctionBinding Binding, TemplateMatcher Route, string[] Methods)> _routes;
    private IHost? _worker;
    private IFunctionActivator? _activator;
    private AzureStorageEngine? _engine;
    private IServiceProvider? _api;
    private readonly Action<IHostBuilder>? _host;
    private Task _timers = Task.CompletedTask;

    public FunctionsEngine(string storageConnectionString, TimeSpan? timerInterval = null, Action<IHostBuilder>? host = null)
    {
        _storage = storageConnectionString;
        _host = host;
        TimerInterval = timerInterval ?? TimeSpan.FromMilliseconds(100);
        _routes = [.. FunctionBinding.All.Values
            .Where(f => f.Trigger is HttpTriggerAttribute)
            .Select(f => (f, new TemplateMatcher(TemplateParser.Parse("api/" + ((HttpTriggerAttribute)f.Trigger).Route), []), ((HttpTriggerAttribute)f.Trigger).Methods ?? []))];
    }

    /// <summary>The task hub (also the prefix of the app's tables).</summary>
    public string TaskHub { get; } = "fn" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    /// <summary>How often the timer functions run (the app's schedules are 5 s and 10 min).</summary>
    public TimeSpan TimerInterval { get; }

    /// <summary>Invocations so far, by function name.</summary>
    public ConcurrentDictionary<string, int> Invocations { get; } = new(StringComparer.Ordinal);

    /// <summary>Orchestrator episodes per instance id.</summary>
    public ConcurrentDictionary<string, int> Episodes { get; } = new(StringComparer.Ordinal);

    /// <summary>The worker's services, as <see cref="FunctionsApp.CreateBuilder"/> built them.</summary>
    public IServiceProvider Worker => (_worker ?? throw new InvalidOperationException("Not started.")).Services;

    /// <summary>The engine's client (what a <c>[DurableClient]</c> parameter gets).</summary>
    public Microsoft.DurableTask.Client.DurableTaskClient Client => (_engine ?? throw new InvalidOperationException("Not started.")).Client;

    /// <summary>The settings the app reads, with values for this test: the sample's names, Azurite, the API's simulator as the providers.</summary>
    public Dictionary<string, string?> Settings(IConfiguration api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [HostSettings.AzureWebJobsStorage] = _storage,
            [HostSettings.FunctionsWorkerRuntime] = "dotnet-isolated",
            [HostSettings.TaskHubName] = TaskHub,
            ["Durable:SignalsTable"] = TaskHub + "signals",
            ["Durable:OrdersTable"] = TaskHub + "orders",
            ["Durable:NotificationsTable"] = TaskHub + "notifications",
            ["Notifications:Enabled"] = api["Notifications:Enabled"] ?? "false",
        };
        foreach (var section in new[] { HostSettings.VippsSection, HostSettings.PayExSection, "Workflow", "ActivityRetry", "Notifications" })
        {
            foreach (var (key, value) in api.GetSection(section).AsEnumerable())
            {
                if (value is not null)
                {
                    settings[key] = value;
                }
            }
        }

        return settings;
    }

    public void Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Runtime:DispatcherEnabled"] = "false" });
        builder.Services.AddSingleton<IStartupFilter>(new RoutesToFunctions(this));
    }

    public async Task StartAsync(IServiceProvider services)
    {
        _api = services;
        var settings = Settings(services.GetRequiredService<IConfiguration>());
        var worker = FunctionsApp.CreateBuilder(configuration => configuration.AddInMemoryCollection(settings));
        _host?.Invoke(worker);
        _worker = worker.Build();
        FunctionsApp.UseRegisteredWebhook(_worker.Services);
        _activator = _worker.Services.GetRequiredService<IFunctionActivator>();
        _engine = await AzureStorageEngine.StartAsync(AzureStorageEngine.Settings(_storage, TaskHub, "functions-tests"), Register);
        _timers = RunTimersAsync(_stop.Token);
    }

    /// <summary>Invokes a function through its real signature, its class created by the worker's activator in a new invocation scope.</summary>
    /// <param name="name">The function.</param>
    /// <param name="trigger">Makes the trigger parameter's value for the invocation's context.</param>
    /// <param name="route">Route values (the HTTP functions' string parameters).</param>
    /// <param name="cancellationToken">The invocation's cancellation.</param>
    /// <returns>What the function returned (null for none).</returns>
    public async Task<object?> InvokeAsync(string name, Func<FunctionContext, object?> trigger, IReadOnlyDictionary<string, object?>? route = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var binding = FunctionBinding.All[name];
        using var scope = Worker.CreateScope();
        var context = new TestFunctionContext(name, scope.ServiceProvider, cancellationToken);
        var instance = (_activator ?? throw new InvalidOperationException("Not started.")).CreateInstance(binding.Method.DeclaringType!, context);
        var arguments = binding.Method.GetParameters().Select(p => Argument(p, context, trigger, route)).ToArray();
        Invocations.AddOrUpdate(name, 1, (_, count) => count + 1);
        object? returned;
        try
        {
            returned = binding.Method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException failure) when (failure.InnerException is not null)
        {
            throw failure.InnerException;
        }

        if (returned is Task task)
        {
            await task;
            return task.GetType().IsGenericType ? task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
        }

        return returned;
    }

    public async Task<string> DiagnoseAsync(string orderId)
    {
        if (_engine is null || await _engine.Client.GetInstanceAsync(orderId, getInputsAndOutputs: true) is not { } instance)
        {
            return " Engine: no instance.";
        }

        return $" Engine: {instance.RuntimeStatus}, episodes {Episodes.GetValueOrDefault(orderId)}"
            + (instance.FailureDetails is { } failure ? $", failed: {failure.ErrorType}: {failure.ErrorMessage}" : "") + ".";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _timers;
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _worker?.Dispose();
        _stop.Dispose();
    }

    private object? Argument(ParameterInfo parameter, FunctionContext context, Func<FunctionContext, object?> trigger, IReadOnlyDictionary<string, object?>? route)
    {
        if (parameter.GetCustomAttributes().Any(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal)))
        {
            return trigger(context);
        }

        if (parameter.ParameterType == typeof(FunctionContext))
        {
            return context;
        }

        if (parameter.GetCustomAttributes().Any(a => a.GetType().Name == "DurableClientAttribute"))
        {
            return Client;
        }

        return route is not null && route.TryGetValue(parameter.Name!, out var value)
            ? value?.ToString()
            : throw new InvalidOperationException($"The test host has no value for parameter {parameter.Name} of {parameter.Member.Name}.");
    }

    /// <summary>The orchestrator and activities, on the engine: each invocation through the app's own function class.</summary>
    private void Register(DurableTaskRegistry registry)
    {
        foreach (var binding in FunctionBinding.All.Values)
        {
            switch (binding.Trigger)
            {
                case OrchestrationTriggerAttribute:
                    registry.AddOrchestratorFunc<string, string>(binding.Name, async (context, _) =>
                    {
                        Episodes.AddOrUpdate(context.InstanceId, 1, (_, count) => count + 1);
                        return (string)(await InvokeAsync(binding.Name, _ => context))!;
                    });
                    break;
                case ActivityTriggerAttribute:
                    registry.AddActivityFunc<string, string>(binding.Name, async (_, input) => (string)(await InvokeAsync(binding.Name, _ => input))!);
                    break;
            }
        }
    }

    /// <summary>The timer functions, on a short schedule (a failed invocation is tried again at the next tick, as the host does).</summary>
    private async Task RunTimersAsync(CancellationToken stop)
    {
        var timers = FunctionBinding.All.Values.Where(f => f.Trigger is TimerTriggerAttribute).Select(f => f.Name).ToList();
        while (!stop.IsCancellationRequested)
        {
            foreach (var timer in timers)
            {
                try
                {
                    await InvokeAsync(timer, _ => new TimerInfo(), cancellationToken: stop);
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    // The host logs a failed timer invocation and runs the timer again on its schedule.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                await Task.Delay(TimerInterval, TimeProvider.System, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Serves a request that reaches an HTTP function's route (method and template), as the Functions host would.</summary>
    private async Task<bool> TryServeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value?.TrimStart('/') ?? "";
        foreach (var (binding, route, methods) in _routes)
        {
            var values = new RouteValueDictionary();
            if (!methods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase) || !route.TryMatch("/" + path, values))
            {
                continue;
            }

            if (binding.Name == "VippsWebhook")
            {
                await UseApisWebhookSecretAsync();
            }

            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            body.Position = 0;
            var headers = new HttpHeadersCollection();
            foreach (var (name, value) in http.Request.Headers)
            {
                headers.TryAddWithoutValidation(name, value.ToArray());
            }

            var url = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}{http.Request.QueryString}");
            var response = (TestHttpResponseData)(await InvokeAsync(
                binding.Name,
                context => new TestHttpRequestData(context, http.Request.Method, url, headers, body),
                values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
                http.RequestAborted))!;
            http.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers)
            {
                if (string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    http.Response.ContentType = string.Join(",", header.Value);
                }
                else
                {
                    http.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            response.Body.Position = 0;
            await response.Body.CopyToAsync(http.Response.Body, http.RequestAborted);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The Functions app verifies webhooks with the secret of a registration made once per deployment; here the API host
    /// registered its webhook URL (the same route) at the simulator, so its secret is the app's <c>Vipps__WebhookSecret</c>.
    /// </summary>
    private async Task UseApisWebhookSecretAsync()
    {
        var subscription = Worker.GetRequiredService<VippsWebhookSubscription>();
        if (subscription.Verifier is not null
            || await _api!.GetRequiredService<IHostValueStore>().GetAsync(WebhookStoreKey, CancellationToken.None) is not { } stored
            || stored.Split('\t') is not [var url, _, var secret])
        {
            return;
        }

        subscription.UseRegistered(new Uri(url), secret);
    }

    /// <summary>Puts the Functions app's HTTP routes in front of the API host's own.</summary>
    private sealed class RoutesToFunctions(FunctionsEngine engine) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, nextMiddleware) =>
            {
                if (!await engine.TryServeAsync(http))
                {
                    await nextMiddleware(http);
                }
            });
            next(app);
        };
    }
}

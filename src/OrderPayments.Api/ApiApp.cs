using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using OrderPayments.Api.Queues;
using OrderPayments.Application.Http;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Reports;
using OrderPayments.PayEx;
using OrderPayments.Runtime;
using OrderPayments.Vipps;
using PaymentSimulator;
using Scalar.AspNetCore;

namespace OrderPayments.Api;

/// <summary>Builds the self-hosted API: the HTTP contract over the embedded runtime, with the Vipps simulator embedded when no Vipps URL is configured.</summary>
public static partial class ApiApp
{
    /// <summary>The development API key, used (and printed) in the Development environment when none is configured.</summary>
    public const string DevelopmentApiKey = "dev-api-key";

    /// <summary>The header the API key travels in.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The path the embedded simulator serves the Vipps APIs under.</summary>
    public const string SimulatorPath = "/simulator/vipps";

    /// <summary>The path the embedded simulator serves the PayEx Vipps instrument API under.</summary>
    public const string PayExSimulatorPath = "/simulator/payex";

    /// <summary>Builds the app; <paramref name="configure"/> may change services or configuration before it is built (tests).</summary>
    /// <exception cref="InvalidOperationException">Outside Development with no API key configured.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        ConfigurationFiles.PollForChanges(builder.Configuration);
        configure?.Invoke(builder);
        var configuration = builder.Configuration;
        var settings = configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>() ?? new ApiOptions();

        var keys = ApiKeys.From(settings, builder.Environment.IsDevelopment());

        var listening = ListeningAddress.Resolve(configuration, out var resolvedUrls);
        if (resolvedUrls is not null)
        {
            builder.WebHost.UseUrls(resolvedUrls);
        }
        var self = ListeningAddress.Self(listening);
        var embedded = SimulatorEmbedded(configuration, builder.Environment.IsDevelopment());
        var overrides = new Dictionary<string, string?>
        {
            ["Runtime:DatabasePath"] = StoreBackup.StorePath(configuration, settings),
        };
        if (embedded)
        {
            // The simulator's development credentials (SimulatorOptions' defaults); its control API plays the customer.
            overrides["Vipps:BaseUrl"] = new Uri(self, SimulatorPath.TrimStart('/')).ToString();
            overrides["Vipps:ClientId"] = "simulator-client";
            overrides["Vipps:ClientSecret"] = "simulator-secret";
            overrides["Vipps:SubscriptionKey"] = "simulator-subscription-key";
            overrides["Vipps:MerchantSerialNumber"] = "123456";
            overrides["Simulator:BasePath"] = SimulatorPath;
            // The simulator keeps its payments beside the store, so a restarted API carries on its unfinished orders
            // (the simulator's payments, tokens and webhook registration are still there).
            overrides["Simulator:DatabasePath"] = configuration["Simulator:DatabasePath"] ?? SimulatorDatabasePath(configuration["Runtime:DatabasePath"] ?? settings.Store.Path);
            // The control API (approve, reject, expire: anyone who can reach it can mark a payment paid) only in
            // Development, or where asked for by name.
            overrides["Simulator:ControlApi"] = configuration["Simulator:ControlApi"] ?? (builder.Environment.IsDevelopment() ? "true" : "false");
            if (string.IsNullOrWhiteSpace(configuration["Vipps:WebhookUrl"]))
            {
                overrides["Vipps:WebhookUrl"] = new Uri(self, "api/webhooks/vipps").ToString();
            }

            if (string.IsNullOrWhiteSpace(configuration["PayEx:BaseUrl"]))
            {
                // The PayEx (Swedbank Pay) Vipps instrument, simulated in the same process.
                overrides["PayEx:BaseUrl"] = new Uri(self, PayExSimulatorPath.TrimStart('/')).ToString();
                overrides["PayEx:AccessToken"] = "simulator-payex-token";
                overrides["PayEx:PayeeId"] = "simulator-payee";
                overrides["PayEx:CallbackUrl"] = configuration["PayEx:CallbackUrl"] is { Length: > 0 } callback ? callback : new Uri(self, "api/callbacks/payex").ToString();
                overrides["PayEx:DefaultCompleteUrl"] = self.ToString();
            }
        }

        configuration.AddInMemoryCollection(overrides);
        var payEx = !string.IsNullOrWhiteSpace(configuration["PayEx:BaseUrl"]) && !string.IsNullOrWhiteSpace(configuration["PayEx:AccessToken"]);
        var databasePath = Path.GetFullPath(configuration["Runtime:DatabasePath"]!);
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);

        builder.Services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName));
        var behindProxy = ReverseProxy.Configure(builder.Services, configuration);
        // Under systemd (deploy/orderpayments.service, Type=notify): ready once Kestrel listens, logs in the journal's
        // format. Nothing changes anywhere else.
        builder.Services.AddSystemd();
        builder.Services.AddProblemDetails();
        builder.Services.AddApiDocument();
        builder.Services.AddOrderPaymentsRuntime(configuration);
        builder.Services.AddVipps(configuration);
        if (payEx)
        {
            builder.Services.AddPayEx(configuration);
        }
        builder.Services.AddHostedService<WebhookRegistrationService>();
        ApiTelemetry.AddWhenConfigured(builder.Services, configuration);
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        builder.Services.AddSingleton(new RenderedDocuments(1024));
        builder.Services.AddSingleton(sp => new StatusWaits(settings.MaxLongPolls, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new NotificationEndpointRequests(sp.GetRequiredService<OrderPayments.Application.Storefront.INotificationEndpoints>()));
        builder.Services.AddSingleton(sp => new OrderPaymentRequests(
            sp.GetRequiredService<OrderPayments.Application.Workflows.IOrderPaymentClient>(),
            sp.GetServices<IProviderNotifications>(),
            sp.GetServices<IPaymentProvider>().Select(p => p.Provider),
            settings.StartWait,
            sp.GetRequiredService<StatusWaits>()));
        builder.Services.AddSingleton(sp => new OrderReportRequests(sp.GetRequiredService<IOrderReports>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddFulfillmentQueueIntake(configuration);
        if (embedded)
        {
            SimulatorApp.AddPaymentSimulator(builder.Services, configuration);
        }

        var app = builder.Build();
        if (behindProxy)
        {
            // First: everything after it (the PayEx source check, logs, telemetry) sees the caller the proxy saw.
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler(errors => errors.Run(WriteUnhandledAsync));
        app.UseStatusCodePages(WriteStatusCodeAsync);
        if (embedded)
        {
            SimulatorApp.MapPaymentSimulator(app);
        }

        MapRoutes(app, keys);
        if (embedded)
        {
            app.Lifetime.ApplicationStarted.Register(() => LogSimulatorInUse(app.Logger, new Uri(self, SimulatorPath.TrimStart('/')), configuration["Simulator:ControlApi"] ?? "false"));
        }

        app.Lifetime.ApplicationStarted.Register(() => LogStarted(
            app.Logger,
            self,
            embedded ? new Uri(self, SimulatorPath.TrimStart('/')).ToString() : configuration["Vipps:BaseUrl"]!,
            databasePath,
            keys.UsesDevelopmentKeys
                ? $"{ApiKeyHeader} (development defaults where none is set: operator {DevelopmentApiKey}, storefront {ApiKeys.DevelopmentKeys[ApiRole.Storefront]}, fulfillment {ApiKeys.DevelopmentKeys[ApiRole.Fulfillment]})"
                : $"{ApiKeyHeader} as configured per role"));
        return app;
    }

    /// <summary>The embedded simulator's file beside the store: <c>orders.db</c> → <c>orders.simulator.db</c> in the same folder.</summary>
    internal static string SimulatorDatabasePath(string storePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storePath))!, Path.GetFileNameWithoutExtension(storePath) + ".simulator.db");

    /// <summary>
    /// Whether the payment simulator stands in for the providers: only when no Vipps URL is set, and then only in
    /// Development or on the explicit opt-in <c>Simulator:Embedded=true</c>. Anywhere else a missing provider
    /// configuration stops the start with the names of the settings (a production API must never take fake payments).
    /// </summary>
    /// <exception cref="InvalidOperationException">Outside Development: no Vipps URL and no opt-in, or PayEx configured in part.</exception>
    internal static bool SimulatorEmbedded(IConfiguration configuration, bool development)
    {
        var optIn = string.Equals(configuration["Simulator:Embedded"], "true", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(configuration["Vipps:BaseUrl"]))
        {
            if (!development)
            {
                string[] payEx = ["PayEx:BaseUrl", "PayEx:AccessToken", "PayEx:PayeeId", "PayEx:CallbackUrl"];
                var missing = payEx.Where(name => string.IsNullOrWhiteSpace(configuration[name])).ToList();
                if (missing.Count is > 0 and < 4)
                {
                    throw new InvalidOperationException(
                        $"PayEx is configured in part: set {string.Join(", ", missing)} (environment variables {string.Join(", ", missing.Select(m => m.Replace(":", "__", StringComparison.Ordinal)))}), or none of {string.Join(", ", payEx)} to leave PayEx off.");
                }
            }

            return false;
        }

        return development || optIn
            ? true
            : throw new InvalidOperationException(
                "No payment provider is configured: set Vipps:BaseUrl, Vipps:ClientId, Vipps:ClientSecret, Vipps:SubscriptionKey, " +
                "Vipps:MerchantSerialNumber and Vipps:WebhookUrl (environment variables Vipps__BaseUrl, …). Outside Development the API " +
                "does not run on the payment simulator unless Simulator:Embedded is true.");
    }

    private static void MapRoutes(WebApplication app, ApiKeys keys)
    {
        var orders = app.MapGroup("/api/orders").WithTags("Orders");
        const ApiRole storefront = ApiRole.Storefront, fulfillment = ApiRole.Fulfillment, operatorRole = ApiRole.Operator;

        orders.MapPut("/{orderId}/payment", (string orderId, HttpRequest request, OrderPaymentRequests api) =>
                WithBodyAsync(request, (body, ct) => api.StartAsync(orderId, body, ApiSecurity.Caller(request), ct)))
            .AcceptsJson<StartPaymentBody>()
            .Produces<OrderPaymentDocument>(201).Produces<OrderPaymentDocument>(200).Produces<OrderPaymentDocument>(202)
            .ProducesProblems(400, 409)
            .WithName("StartPayment")
            .WithSummary("Start the order's payment (idempotent for the same body).")
            .RequireRoles(keys, storefront, operatorRole);
        orders.MapGet("/{orderId}/payment", async (string orderId, [FromHeader(Name = "If-None-Match")] string? ifNoneMatch, string? waitForChange, string? timeout, OrderPaymentRequests api, CancellationToken ct) =>
                Write(await api.GetAsync(orderId, ifNoneMatch, waitForChange, timeout, ct)))
            .Produces<OrderPaymentDocument>().Produces(304).ProducesProblems(400, 404, 503)
            .WithName("GetPayment")
            .WithSummary("The order's payment: status, amounts, deadlines and history; conditional (ETag) and as a long poll (waitForChange).")
            .RequireRoles(keys, storefront, fulfillment, operatorRole);
        orders.MapGet("", async (string? status, string? after, string? limit, OrderPaymentRequests api, CancellationToken ct) => Write(await api.ListAsync(status, after, limit, ct)))
            .Produces<OrderPage>().ProducesProblems(400)
            .WithName("ListOrders")
            .WithSummary("Orders by id, optionally of one status; page with 'after'.")
            .RequireRoles(keys, operatorRole);
        orders.MapGet("/faults", async (string? after, string? limit, EmbeddedOrderPaymentClient runtime, CancellationToken ct) => Write(await ListFaultsAsync(runtime, after, limit, ct)))
            .Produces<FaultPage>().ProducesProblems(400)
            .WithName("ListFaultedOrders")
            .WithSummary("Orders the runtime cannot step (a stored state or signal it cannot read): attempts, next retry, last error; page with 'after'.")
            .RequireRoles(keys, operatorRole);
        MapSignal<FulfillmentBody>(orders, "/{orderId}/fulfillments", "Fulfill", "Capture for a shipment.", (api, id, body, by, ct) => api.FulfillAsync(id, body, by, ct))
            .RequireRoles(keys, fulfillment, operatorRole);
        MapSignal<CancellationBody>(orders, "/{orderId}/cancellation", "Cancel", "Cancel what is not captured.", (api, id, body, by, ct) => api.CancelAsync(id, body, by, ct), optionalBody: true)
            .RequireRoles(keys, storefront, fulfillment, operatorRole);
        MapSignal<RefundBody>(orders, "/{orderId}/refunds", "Refund", "Refund part or all of what was captured.", (api, id, body, by, ct) => api.RefundAsync(id, body, by, ct))
            .RequireRoles(keys, storefront, operatorRole);
        MapSignal<AttemptBody>(orders, "/{orderId}/attempts", "StartNewAttempt", "Start a new payment attempt after an unpaid end.", (api, id, body, by, ct) => api.NewAttemptAsync(id, body, by, ct))
            .RequireRoles(keys, storefront, operatorRole);

        MapNotificationManagement(app, keys);
        MapReports(app, keys);

        // Authenticated by its signature only (no API key).
        MapNotifications(app, "/api/webhooks/vipps", "ReceiveVippsWebhook", Domain.PaymentProvider.Vipps, [400, 401], "Vipps ePayment webhook (HMAC-signed).");

        // Unsigned: only a trigger for an authenticated read, so a forged callback cannot move any state.
        // 403 from a source outside PayEx:CallbackAllowedSources; 404 where PayEx is not configured.
        MapNotifications(app, "/api/callbacks/payex", "ReceivePayExCallback", Domain.PaymentProvider.PayEx, [400, 403, 404], "PayEx callback (unsigned; the payment is then read from PayEx).");

        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        app.MapOpenApi(ApiDocument.Path);
        // The interactive reference of that document. It reaches nothing but this server: its scripts come from the
        // package (no CDN), and the web fonts, the AI chat, MCP and the hosted developer tools are off.
        app.MapScalarApiReference(ApiDocument.ReferencePath, options => options
            .WithTitle("OrderPayments API reference")
            .WithOpenApiRoutePattern(ApiDocument.Path)
            .AddPreferredSecuritySchemes([ApiSecurity.SchemeName])
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools());
        app.MapGet("/", () => Results.Stream(typeof(ApiApp).Assembly.GetManifestResourceStream("OrderPayments.Api.index.html")!, "text/html; charset=utf-8"))
            .ExcludeFromDescription();
    }

    /// <summary><c>GET /api/orders/faults?after=&amp;limit=</c>: faulted orders by id, read without their (possibly unreadable) states.</summary>
    private static async Task<ApiResponse> ListFaultsAsync(EmbeddedOrderPaymentClient runtime, string? after, string? limit, CancellationToken cancellationToken)
    {
        var errors = new List<ApiFieldError>();
        var size = OrderPaymentRequests.PageSize(limit, errors);
        if (errors.Count > 0)
        {
            return ApiResponse.Problem(ApiProblem.Invalid(errors));
        }

        var page = await runtime.ListFaultsAsync(string.IsNullOrEmpty(after) ? null : after, size, cancellationToken).ConfigureAwait(false);
        return new ApiResponse(200, new FaultPage(page, page.Count == size ? page[^1].OrderId : null));
    }

    private static RouteHandlerBuilder MapSignal<TBody>(RouteGroupBuilder orders, string pattern, string name, string summary, Func<OrderPaymentRequests, string, ReadOnlyMemory<byte>, string?, CancellationToken, Task<ApiResponse>> handle, bool optionalBody = false)
        where TBody : notnull =>
        orders.MapPost(pattern, (string orderId, HttpRequest request, OrderPaymentRequests api) =>
                WithBodyAsync(request, (body, ct) => handle(api, orderId, body, ApiSecurity.Caller(request), ct)))
            .AcceptsJson<TBody>(optionalBody)
            .Produces<SignalReceipt>(202).Produces<SignalReceipt>(200)
            .ProducesProblems(400, 404, 409, 422)
            .WithName(name)
            .WithSummary(summary);

    private static NotificationDelivery Delivery(HttpRequest request, ReadOnlyMemory<byte> body) =>
        NotificationDelivery.From(request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), body) with
        {
            Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            // The connection's address: a forwarded header counts only where ASP.NET Core's forwarded-headers middleware was configured for it.
            RemoteAddress = request.HttpContext.Connection.RemoteIpAddress,
        };

    private static void MapNotifications(WebApplication app, string pattern, string name, Domain.PaymentProvider provider, int[] refusals, string summary) =>
        app.MapPost(pattern, (HttpRequest request, OrderPaymentRequests api) =>
                WithBodyAsync(request, (body, ct) => api.NotifyAsync(provider, Delivery(request, body), ct)))
            .Produces<NotificationReceipt>().ProducesProblems([.. refusals, 413])
            .WithTags("Webhooks")
            .WithName(name)
            .WithSummary(summary);

    /// <summary>Reads the capped raw body and answers with <paramref name="handle"/>'s response (413 when too large).</summary>
    private static async Task<ApiResult> WithBodyAsync(HttpRequest request, Func<ReadOnlyMemory<byte>, CancellationToken, Task<ApiResponse>> handle)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        return Write(await RawBodies.ReadAsync(request.Body, request.ContentLength, cancellationToken) is { } body
            ? await handle(body, cancellationToken)
            : RawBodies.TooLarge);
    }

    private static ApiResult Write(ApiResponse response) => new(response);

    private static Task WriteUnhandledAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        LogUnhandled(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OrderPayments.Api"), context.Request.Path, error);
        return new ApiResult(ApiResponse.Problem(new ApiProblem(
            ApiProblem.Urn("internal-error"),
            "The request could not be completed.",
            500,
            "An unexpected error occurred; nothing was lost that was acknowledged. Retry the request (it is idempotent)."))).ExecuteAsync(context);
    }

    private static Task WriteStatusCodeAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var problem = http.Response.StatusCode switch
        {
            404 => ApiProblem.NotFound($"There is no route {http.Request.Method} {http.Request.Path}."),
            415 => ApiProblem.UnsupportedMediaType(),
            405 => new ApiProblem(ApiProblem.Urn("method-not-allowed"), "Method not allowed.", 405, $"{http.Request.Method} is not allowed on {http.Request.Path}."),
            var other => new ApiProblem(ApiProblem.Urn("http-" + other), "The request failed.", other, $"HTTP {other}."),
        };
        return new ApiResult(ApiResponse.Problem(problem)).ExecuteAsync(http);
    }

    private static Task WriteHealthAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report) =>
        context.Response.WriteAsJsonAsync(
            new { status = report.Status.ToString(), checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }) },
            ApiJson.Options);

    [LoggerMessage(Level = LogLevel.Information, Message = "OrderPayments API on {Url} (operator page: {Url}, OpenAPI: {Url}openapi/v1.json, API reference: {Url}reference); Vipps API at {VippsUrl}; store {Store}; authenticate with {ApiKey}.")]
    private static partial void LogStarted(ILogger logger, Uri url, string vippsUrl, string store, string apiKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "THE PAYMENT SIMULATOR IS IN USE at {SimulatorUrl}: payments are simulated, no money moves (control API on: {ControlApi}). Set Vipps:BaseUrl for a real provider.")]
    private static partial void LogSimulatorInUse(ILogger logger, Uri simulatorUrl, string controlApi);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Path}.")]
    private static partial void LogUnhandled(ILogger logger, PathString path, Exception? exception);

    /// <summary>Writes an <see cref="ApiResponse"/>: status, <c>Location</c>, <c>ETag</c>, <c>Retry-After</c>, and the body (if any) as JSON or problem+json.</summary>
    internal sealed class ApiResult(ApiResponse response) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = response.StatusCode;
            if (response.Location is { } location)
            {
                httpContext.Response.Headers.Location = location;
            }

            if (response.ETag is { } tag)
            {
                httpContext.Response.Headers.ETag = tag;
            }

            if (response.RetryAfterSeconds is { } retryAfter)
            {
                httpContext.Response.Headers.RetryAfter = retryAfter;
            }

            if (response.Body is OrderPaymentDocument document)
            {
                // The status document: often the same bytes as the last read of an order that has not moved.
                var json = httpContext.RequestServices.GetRequiredService<RenderedDocuments>().Render(document, ApiJson.Options);
                httpContext.Response.ContentType = response.ContentType;
                httpContext.Response.ContentLength = json.Length;
                return httpContext.Response.Body.WriteAsync(json, httpContext.RequestAborted).AsTask();
            }

            return response.Body is null
                ? Task.CompletedTask
                : httpContext.Response.WriteAsJsonAsync(response.Body, response.Body.GetType(), ApiJson.Options, response.ContentType, httpContext.RequestAborted);
        }
    }
}

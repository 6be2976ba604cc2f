using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaymentSimulator.Faults;
using PaymentSimulator.Webhooks;

namespace PaymentSimulator.Vipps;

/// <summary>The Vipps routes, relative to the simulator's base path: token, ePayment, landing page and control API.</summary>
internal static class VippsEndpoints
{
    private const string Payments = "/epayment/v1/payments";

    private static readonly JsonSerializerOptions FaultJson = new(JsonSerializerDefaults.Web);

    private static readonly HashSet<string> WebhookEventTypes =
    [
        "epayments.payment.created.v1", "epayments.payment.aborted.v1", "epayments.payment.expired.v1", "epayments.payment.cancelled.v1",
        "epayments.payment.captured.v1", "epayments.payment.refunded.v1", "epayments.payment.authorized.v1", "epayments.payment.terminated.v1",
    ];

    public static void Map(IEndpointRouteBuilder app, SimulatorOptions options, bool controlApi)
    {
        var root = app.MapGroup(options.BasePath);

        root.MapPost("/accesstoken/get", (HttpRequest request, VippsSimulator simulator) =>
            Write(simulator.IssueToken(Header(request, "client_id"), Header(request, "client_secret"), Header(request, "Ocp-Apim-Subscription-Key"))));

        var authenticated = root.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var simulator = context.HttpContext.RequestServices.GetRequiredService<VippsSimulator>();
            return simulator.Authenticate(Header(request, "Authorization"), Header(request, "Ocp-Apim-Subscription-Key"), Header(request, "Merchant-Serial-Number")) is { } refused
                ? Write(refused)
                : await next(context);
        });

        // ePayment calls go through the fault injector: 429 bursts and 5xx replace the call, latency delays it,
        // and a dropped connection after a successful mutation hides that it was applied.
        var api = authenticated.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            var faults = context.HttpContext.RequestServices.GetRequiredService<VippsSimulator>().Faults;
            if (faults.BeforeCall() is { } injected)
            {
                return Write(injected);
            }

            var latency = faults.Latency();
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, context.HttpContext.RequestAborted);
            }

            var result = await next(context);
            if (HttpMethods.IsPost(context.HttpContext.Request.Method)
                && result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 }
                && faults.DropAfterApply())
            {
                context.HttpContext.Abort();
                return Results.Empty;
            }

            return result;
        });

        authenticated.MapPost("/webhooks/v1/webhooks", async (HttpRequest request, WebhookHub hub) =>
        {
            var body = await Body(request) as JsonObject;
            var url = body?["url"] is JsonValue u && u.TryGetValue<string>(out var text) && Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http" ? parsed : null;
            var events = body?["events"] is JsonArray list ? list.Select(e => e?.GetValue<string>() ?? "").ToList() : [];
            if (url is null)
            {
                return Write(SimResponse.Problem(400, "Bad Request", "url must be an absolute https (or, here, http) URL.", field: "url"));
            }

            if (events.Count == 0 || events.Any(e => !WebhookEventTypes.Contains(e)))
            {
                return Write(SimResponse.Problem(400, "Bad Request", "events must list epayments.payment.*.v1 event types.", field: "events"));
            }

            var registration = hub.Register(url, events);
            return Write(SimResponse.Json(201, new JsonObject { ["id"] = registration.Id.ToString(), ["secret"] = registration.Secret }));
        });
        authenticated.MapGet("/webhooks/v1/webhooks", (WebhookHub hub) =>
            Write(SimResponse.Json(200, new JsonObject
            {
                ["webhooks"] = new JsonArray(hub.List().Select(r => (JsonNode)new JsonObject
                {
                    ["id"] = r.Id.ToString(),
                    ["url"] = r.Url.AbsoluteUri,
                    ["events"] = new JsonArray(r.Events.Select(e => (JsonNode)JsonValue.Create(e)).ToArray()),
                }).ToArray()),
            })));
        authenticated.MapDelete("/webhooks/v1/webhooks/{id:guid}", (Guid id, WebhookHub hub) =>
            hub.Delete(id) ? Results.NoContent() : Write(SimResponse.Problem(404, "Not Found", $"No webhook {id}.")));

        api.MapPost(Payments, async (HttpRequest request, VippsSimulator simulator) =>
            Write(simulator.Create(Header(request, "Idempotency-Key"), await Body(request), LandingBase(request, options))));
        api.MapGet($"{Payments}/{{reference}}", (string reference, VippsSimulator simulator) => Write(simulator.Get(reference)));
        api.MapGet($"{Payments}/{{reference}}/events", (string reference, VippsSimulator simulator) => Write(simulator.Events(reference)));
        api.MapPost($"{Payments}/{{reference}}/capture", async (string reference, HttpRequest request, VippsSimulator simulator) =>
            Write(simulator.Capture(reference, Header(request, "Idempotency-Key"), await Body(request))));
        api.MapPost($"{Payments}/{{reference}}/cancel", async (string reference, HttpRequest request, VippsSimulator simulator) =>
            Write(simulator.Cancel(reference, Header(request, "Idempotency-Key"), await Body(request))));
        api.MapPost($"{Payments}/{{reference}}/refund", async (string reference, HttpRequest request, VippsSimulator simulator) =>
            Write(simulator.Refund(reference, Header(request, "Idempotency-Key"), await Body(request))));
        api.MapPost("/epayment/v1/test/payments/{reference}/approve", (string reference, VippsSimulator simulator) =>
        {
            var approved = simulator.Approve(reference);
            return Write(approved.IsSuccess ? SimResponse.Json(200, null) : approved);
        });

        root.MapGet("/landing/{reference}", (string reference, string? token, VippsSimulator simulator) =>
            simulator.Landing(reference, token) is { } page ? Results.Content(LandingPage(options, reference, token!, page), "text/html; charset=utf-8") : Results.NotFound());
        root.MapPost("/landing/{reference}/{decision:regex(^(approve|reject)$)}", (string reference, string decision, string? token, VippsSimulator simulator) =>
        {
            if (simulator.Landing(reference, token) is not { } page)
            {
                return Results.NotFound();
            }

            var outcome = decision == "approve" ? simulator.Approve(reference) : simulator.End(reference, "ABORTED");
            return page.ReturnUrl is { } back && outcome.IsSuccess
                ? Results.Redirect(back)
                : Results.Content(ResultPage(outcome), "text/html; charset=utf-8", statusCode: outcome.IsSuccess ? 200 : outcome.Status);
        });

        if (!controlApi)
        {
            return;
        }

        var control = root.MapGroup("/control");
        control.MapPost("/payments/{reference}/approve", (string reference, VippsSimulator simulator) => Write(simulator.Approve(reference)));
        control.MapPost("/payments/{reference}/reject", (string reference, VippsSimulator simulator) => Write(simulator.End(reference, "ABORTED")));
        control.MapPost("/payments/{reference}/expire", (string reference, VippsSimulator simulator) => Write(simulator.End(reference, "EXPIRED")));
        control.MapPost("/clock/advance", async (HttpRequest request, SimulatorClock clock) =>
        {
            var seconds = await Body(request) is JsonObject body && body["seconds"] is JsonValue value && value.TryGetValue<double>(out var s) && s >= 0 ? s : -1;
            if (seconds < 0)
            {
                return Write(SimResponse.Problem(400, "Bad Request", "Send { \"seconds\": n } with n ≥ 0.", field: "seconds"));
            }

            clock.Advance(TimeSpan.FromSeconds(seconds));
            return Write(SimResponse.Json(200, new JsonObject { ["now"] = clock.GetUtcNow().ToString("O") }));
        });
        control.MapGet("/stats", (VippsSimulator simulator) => Write(SimResponse.Json(200, simulator.Stats.ToJson(simulator.Faults.ToJson()))));
        control.MapPost("/faults", async (HttpRequest request, VippsSimulator simulator) =>
        {
            try
            {
                var settings = await JsonSerializer.DeserializeAsync<FaultSettings>(request.Body, FaultJson) ?? new FaultSettings();
                simulator.Faults.Replace(settings);
                return Results.Json(settings, FaultJson);
            }
            catch (JsonException e)
            {
                return Write(SimResponse.Problem(400, "Bad Request", $"Not fault settings: {e.Message}"));
            }
        });
        control.MapGet("/faults", (VippsSimulator simulator) => Results.Json(simulator.Faults.Settings, FaultJson));
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    private static async Task<JsonNode?> Body(HttpRequest request)
    {
        try
        {
            return request.ContentLength is 0 ? null : await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return JsonValue.Create("not json");
        }
    }

    private static string LandingBase(HttpRequest request, SimulatorOptions options) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{options.BasePath}";

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Routes mix this result with Results.* in one expression.")]
    private static IResult Write(SimResponse response) => new SimHttpResult(response);

    private static string LandingPage(SimulatorOptions options, string reference, string token, (string Merchant, string Amount, string? Description, string State, string? ReturnUrl) page)
    {
        string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var action = $"{options.BasePath}/landing/{WebUtility.UrlEncode(reference)}";
        var query = $"?token={WebUtility.UrlEncode(token)}";
        var buttons = page.State == "CREATED"
            ? $"""
               <form method="post" action="{action}/approve{query}"><button id="approve" type="submit">Approve</button></form>
               <form method="post" action="{action}/reject{query}"><button id="reject" type="submit">Reject</button></form>
               """
            : $"<p id=\"state\">This payment is {E(page.State)}.</p>";
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Pay {{E(page.Amount)}} to {{E(page.Merchant)}}</title>
            <style>body{font-family:sans-serif;max-width:26rem;margin:3rem auto;text-align:center}button{font-size:1.2rem;margin:.5rem;padding:.6rem 2rem}</style></head>
            <body><p>Vipps payment simulator</p><h1 id="merchant">{{E(page.Merchant)}}</h1><h2 id="amount">{{E(page.Amount)}}</h2><p id="description">{{E(page.Description)}}</p>
            {{buttons}}</body></html>
            """;
    }

    private static string ResultPage(SimResponse outcome) =>
        $"<!doctype html><html lang=\"en\"><body><p id=\"result\">{WebUtility.HtmlEncode(outcome.Body?["detail"]?.ToString() ?? outcome.Body?["state"]?.ToString() ?? "Done")}</p></body></html>";
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaymentSimulator.Faults;
using PaymentSimulator.Vipps;

namespace PaymentSimulator.PayEx;

/// <summary>The PayEx routes under the simulator's PayEx base path: the Vipps instrument API, the payment page and the control API.</summary>
internal static class PayExEndpoints
{
    private const string Payments = "/psp/vipps/payments";

    private static readonly JsonSerializerOptions FaultJson = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder app, SimulatorOptions options, bool controlApi)
    {
        var root = app.MapGroup(options.PayExBasePath);

        // Every API call needs the merchant token and goes through the fault injector.
        var api = root.MapGroup(Payments).AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var simulator = context.HttpContext.RequestServices.GetRequiredService<PayExSimulator>();
            if (simulator.Authenticate(request.Headers.Authorization.ToString()) is { } refused)
            {
                return Write(refused);
            }

            if (simulator.Faults.BeforeCall() is { } injected)
            {
                return Write(PayExSimulator.Problem(injected.Status, injected.Status == 429 ? "toomanyrequests" : "systemerror", "Injected fault", "The simulator injected this failure.") with { RetryAfterSeconds = injected.RetryAfterSeconds });
            }

            var latency = simulator.Faults.Latency();
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, context.HttpContext.RequestAborted);
            }

            var result = await next(context);
            if (!HttpMethods.IsGet(request.Method) && result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } && simulator.Faults.DropAfterApply())
            {
                context.HttpContext.Abort();
                return Results.Empty;
            }

            return result;
        });

        api.MapPost("", async (HttpRequest request, PayExSimulator simulator) => Write(simulator.Create(await Body(request), ApiBase(request, options))));
        api.MapGet("/{guid}", (string guid, HttpRequest request, PayExSimulator simulator) =>
            Write(simulator.Get(guid, request.Query["$expand"].ToString().Length > 0, ApiBase(request, options))));
        api.MapPost("/{guid}/authorizations", async (string guid, HttpRequest request, PayExSimulator simulator) => Write(simulator.Authorize(guid, await Body(request))));
        api.MapPost("/{guid}/captures", async (string guid, HttpRequest request, PayExSimulator simulator) => Write(simulator.Capture(guid, await Body(request))));
        api.MapPost("/{guid}/cancellations", async (string guid, HttpRequest request, PayExSimulator simulator) => Write(simulator.Cancel(guid, await Body(request))));
        api.MapPost("/{guid}/reversals", async (string guid, HttpRequest request, PayExSimulator simulator) => Write(simulator.Reverse(guid, await Body(request))));
        api.MapPatch("/{guid}", async (string guid, HttpRequest request, PayExSimulator simulator) => Write(simulator.Abort(guid, await Body(request), ApiBase(request, options))));

        // The payment page of the redirect flow: the payer confirms (or not) as in the Vipps app.
        root.MapGet("/landing/{guid}", (string guid, PayExSimulator simulator) =>
            simulator.Landing(guid) is { } page ? Results.Content(LandingPage(options, guid, page), "text/html; charset=utf-8") : Results.NotFound());
        root.MapPost("/landing/{guid}/{decision:regex(^(approve|reject)$)}", (string guid, string decision, PayExSimulator simulator) =>
        {
            var answer = decision == "approve" ? simulator.Approve(guid) : simulator.Reject(guid);
            var back = simulator.Landing(guid)?.CompleteUrl;
            return answer.IsSuccess && back is not null ? (IResult)Results.Redirect(back) : Write(answer);
        });

        if (!controlApi)
        {
            return;
        }

        var control = root.MapGroup("/control");
        control.MapPost("/payments/{guid}/approve", (string guid, PayExSimulator simulator) => Write(simulator.Approve(guid)));
        control.MapPost("/payments/{guid}/reject", (string guid, PayExSimulator simulator) => Write(simulator.Reject(guid)));
        control.MapPost("/payments/{guid}/expire", (string guid, PayExSimulator simulator) => Write(simulator.Expire(guid)));
        control.MapGet("/stats", (PayExSimulator simulator) => Write(SimResponse.Json(200, simulator.StatsJson())));
        control.MapPost("/faults", async (HttpRequest request, PayExSimulator simulator) =>
        {
            try
            {
                var settings = await JsonSerializer.DeserializeAsync<FaultSettings>(request.Body, FaultJson) ?? new FaultSettings();
                simulator.Faults.Replace(settings);
                return Results.Json(simulator.Faults.Settings, FaultJson);
            }
            catch (JsonException e)
            {
                return Write(PayExSimulator.Problem(400, "inputerror", "Error in input data", $"Fault settings: {e.Message}"));
            }
        });
        control.MapGet("/faults", (PayExSimulator simulator) => Results.Json(simulator.Faults.Settings, FaultJson));
    }

    /// <summary>The absolute base of hrefs in operations (as the caller reached the simulator).</summary>
    private static string ApiBase(HttpRequest request, SimulatorOptions options) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{options.PayExBasePath}";

    private static async Task<JsonNode?> Body(HttpRequest request)
    {
        try
        {
            return request.ContentLength is 0 ? null : await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SimHttpResult Write(SimResponse response) => new(response);

    private static string LandingPage(SimulatorOptions options, string guid, (string Description, long Amount, string State, string? CompleteUrl) page)
    {
        string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var action = $"{options.PayExBasePath}/landing/{WebUtility.UrlEncode(guid)}";
        var amount = $"{page.Amount / 100}.{page.Amount % 100:D2} NOK";
        var buttons = page.State is "Ready" or "Pending"
            ? $"""
               <form method="post" action="{action}/approve"><button id="approve" type="submit">Approve in Vipps</button></form>
               <form method="post" action="{action}/reject"><button id="reject" type="submit">Reject</button></form>
               """
            : $"<p id=\"state\">This payment is {E(page.State)}.</p>";
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Pay {{E(amount)}} with Vipps (PayEx)</title>
            <style>body{font-family:sans-serif;max-width:26rem;margin:3rem auto;text-align:center}button{font-size:1.2rem;margin:.5rem;padding:.6rem 2rem}</style></head>
            <body><p>PayEx Vipps payment simulator</p><h2 id="amount">{{E(amount)}}</h2><p id="description">{{E(page.Description)}}</p>
            {{buttons}}</body></html>
            """;
    }
}

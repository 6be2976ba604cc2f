using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Api.Tests.Contract;

namespace OrderPayments.Api.Tests;

/// <summary>
/// The contract check every test host applies does catch what breaks the OpenAPI document: a stand-in answers some
/// requests under <c>/api</c> in place of the API (inside the check, as the API's own answers are), with an
/// undocumented status, a body off its schema, or an acceptance of a request the document refuses.
/// </summary>
public sealed class ContractCheckTests
{
    [Fact]
    public async Task Check_UndocumentedStatus_FailsTheCallNamingRouteAndStatus()
    {
        await using var api = await StartWithStandIn(418, "application/problem+json", """{"type":"urn:x","title":"t","status":418,"detail":"d"}""");

        var failure = await Should.ThrowAsync<ContractViolationException>(() => api.Http.GetAsync("api/orders/stand-in/payment"));

        failure.Message.ShouldContain("GET /api/orders/{orderId}/payment answered 418: the status is not documented");
    }

    [Fact]
    public async Task Check_BodyOffItsSchema_FailsTheCallNamingTheSchemaError()
    {
        await using var api = await StartWithStandIn(200, "application/json", """{"orderId":5,"surprise":true}""");

        var failure = await Should.ThrowAsync<ContractViolationException>(() => api.Http.GetAsync("api/orders/stand-in/payment"));

        failure.Message.ShouldContain("GET /api/orders/{orderId}/payment answered 200: the answer does not match its schema: $.orderId: expected string, got 5");
        failure.Message.ShouldContain("the required property 'status' is missing");
        failure.Message.ShouldContain("the property 'surprise' is not in the schema");
    }

    [Fact]
    public async Task Check_UndocumentedMediaType_Fails()
    {
        await using var api = await StartWithStandIn(404, "text/plain", "no such order");

        var failure = await Should.ThrowAsync<ContractViolationException>(() => api.Http.GetAsync("api/orders/stand-in/payment"));

        failure.Message.ShouldContain("the answer's media type text/plain is not documented");
    }

    [Fact]
    public async Task Check_AcceptingARequestTheDocumentRefuses_Fails()
    {
        await using var api = await StartWithStandIn(202, "application/json", """{"result":"accepted","status":"/api/orders/stand-in/payment","repeated":false}""");

        var failure = await Should.ThrowAsync<ContractViolationException>(
            () => api.PostAsync("api/orders/stand-in/fulfillments", new JsonObject { ["shipmentId"] = "s-1", ["carrier"] = "post" }));

        failure.Message.ShouldContain("POST /api/orders/{orderId}/fulfillments accepted (202) a request");
        failure.Message.ShouldContain("$.carrier: nothing is allowed here");
    }

    [Fact]
    public async Task Check_ViolationSeenByAnotherClient_FailsWhenTheHostIsDisposed()
    {
        var api = await StartWithStandIn(418, "application/problem+json", """{"type":"urn:x","title":"t","status":418,"detail":"d"}""");
        using (var browser = new HttpClient { BaseAddress = api.Address })
        {
            using var response = await browser.GetAsync("api/orders/stand-in/payment");
            response.StatusCode.ShouldBe((HttpStatusCode)418, "a client that does not check is answered as usual");
        }

        var failure = await Should.ThrowAsync<ContractViolationException>(async () => await api.DisposeAsync());

        failure.Message.ShouldContain("GET /api/orders/{orderId}/payment answered 418");
    }

    [Fact]
    public async Task Check_ConformingAnswers_Pass()
    {
        await using var api = await ApiHost.StartAsync();

        using var missing = await api.Http.GetAsync("api/orders/no-such-order/payment");
        using var unknownRoute = await api.Http.GetAsync("api/no-such-route");

        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknownRoute.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public void Validate_KeywordOutsideTheSubset_ThrowsInsteadOfPassing()
    {
        var validator = new SchemaValidator(new JsonObject());

        Should.Throw<NotSupportedException>(() => validator.Validate(JsonValue.Create("x"), JsonNode.Parse("""{ "type": "string", "contentEncoding": "base64" }""")!, closed: false))
            .Message.ShouldContain("contentEncoding");
    }

    [Fact]
    public void Validate_OneOfWithTwoMatches_IsAnError()
    {
        var validator = new SchemaValidator(new JsonObject());

        var errors = validator.Validate(JsonValue.Create(3), JsonNode.Parse("""{ "oneOf": [ { "type": "integer" }, { "minimum": 1 } ] }""")!, closed: false);

        errors.ShouldHaveSingleItem().ShouldContain("2 of 2 oneOf alternatives match");
    }

    /// <summary>A host whose <c>/api/orders/stand-in/…</c> routes are answered by a stand-in with this status, type and body.</summary>
    private static Task<ApiHost> StartWithStandIn(int status, string contentType, string body) =>
        ApiHost.StartAsync(configure: builder => builder.Services.AddSingleton<IStartupFilter>(new StandIn(status, contentType, body)));

    private sealed class StandIn(int status, string contentType, string body) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (!context.Request.Path.StartsWithSegments("/api/orders/stand-in", StringComparison.Ordinal))
                {
                    await inner(context);
                    return;
                }

                context.Response.StatusCode = status;
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body, Encoding.UTF8);
            });
            next(app);
        };
    }
}

using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Api;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) as the contract a storefront can generate its client from: what the
/// types say, plus what only the handlers know. Request bodies: the fields a handler requires (the others are
/// optional), their lengths and allowed values, and no unknown fields. A field without a value is left out: answers
/// never write null (a request's null is taken as left out, but the contract does not offer it). Every refusal is the same problem+json
/// (<see cref="ApiProblem"/>), and every route lists every status it can answer, 413, 415 and 500 included. The API
/// tests lint the document and validate every response they observe against it (docs/api.md).
/// </summary>
internal static class ApiDocument
{
    /// <summary>The media type of every refusal.</summary>
    public const string ProblemJson = "application/problem+json";

    /// <summary>Where the document is served.</summary>
    public const string Path = "/openapi/v1.json";

    /// <summary>Where the interactive API reference (Scalar) of the document is served.</summary>
    public const string ReferencePath = "/reference";

    private const string OrderIdPattern = "^[A-Za-z0-9-]{1,60}$";

    /// <summary>The request bodies, each with the rules its handler applies to its fields.</summary>
    private static readonly Dictionary<string, Dictionary<string, Action<OpenApiSchema>>> RequestBodies = new(StringComparer.Ordinal)
    {
        [nameof(StartPaymentBody)] = new(StringComparer.Ordinal)
        {
            // Whitespace only is refused like a missing description.
            ["description"] = s => Text(s, PaymentRequest.MinDescriptionLength, PaymentRequest.MaxDescriptionLength, pattern: @"\S"),
            ["returnUrl"] = s => Text(s, 1, PaymentRequest.MaxReturnUrlLength, format: "uri"),
            ["userFlow"] = s => OneOf(s, OrderPaymentRequests.UserFlowNames, "WEB_REDIRECT"),
            ["phoneNumber"] = s => Text(s, 1, PhoneNumbers.MaxInputLength),
            ["provider"] = s => OneOf(s, OrderPaymentRequests.ProviderNames, "vipps"),
        },
        [nameof(AmountBody)] = new(StringComparer.Ordinal)
        {
            ["currency"] = s => OneOf(s, Enum.GetNames<Currency>()),
            ["value"] = s => s.Minimum = "1",
        },
        [nameof(FulfillmentBody)] = new(StringComparer.Ordinal) { ["shipmentId"] = s => Text(s, 1, OrderPaymentRequests.MaxSignalIdLength) },
        [nameof(CancellationBody)] = new(StringComparer.Ordinal) { ["reason"] = s => Text(s, 1, OrderPaymentRequests.MaxReasonLength) },
        [nameof(RefundBody)] = new(StringComparer.Ordinal) { ["refundId"] = s => Text(s, 1, OrderPaymentRequests.MaxSignalIdLength) },
        [nameof(AttemptBody)] = new(StringComparer.Ordinal) { ["attemptId"] = s => Text(s, 1, OrderPaymentRequests.MaxSignalIdLength) },
        [nameof(NotificationEndpointBody)] = new(StringComparer.Ordinal)
        {
            ["url"] = s => Text(s, 1, NotificationEndpointRequests.MaxUrlLength, format: "uri"),
            ["types"] = s =>
            {
                s.MinItems = 1;
                s.Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = Values(StorefrontEventTypes.All) };
            },
        },
    };

    /// <summary>Response fields whose values are a closed set.</summary>
    private static readonly Dictionary<string, Dictionary<string, Action<OpenApiSchema>>> ResponseValues = new(StringComparer.Ordinal)
    {
        [nameof(OrderPaymentDocument)] = new(StringComparer.Ordinal) { ["provider"] = s => OneOf(s, OrderPaymentRequests.ProviderNames) },
        [nameof(SignalReceipt)] = new(StringComparer.Ordinal) { ["result"] = s => OneOf(s, ["accepted", "applied"]) },
        [nameof(ShipmentEntry)] = new(StringComparer.Ordinal) { ["outcome"] = s => OneOf(s, Enum.GetNames<OperationOutcome>()) },
        [nameof(RefundEntry)] = new(StringComparer.Ordinal) { ["outcome"] = s => OneOf(s, Enum.GetNames<OperationOutcome>()) },
        [nameof(DeliveryRecord)] = new(StringComparer.Ordinal) { ["status"] = s => OneOf(s, NotificationEndpointRequests.DeliveryStatuses) },
    };

    /// <summary>Serves the document: adds it with the rules of this class (the simulator's routes are left out).</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        // The schemas are those of the JSON the API writes and reads: numbers are numbers (the web default would also
        // allow a number in a string, which no handler takes).
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return services.AddOpenApi(options =>
        {
            // The document describes this API only; the embedded simulator mimics the providers' own (documented by them).
            options.ShouldInclude = description => description.RelativePath?.StartsWith("simulator/", StringComparison.Ordinal) != true;
            ApiSecurity.Describe(options);
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // The enums are written as their names.
                if (context.JsonTypeInfo.Type.IsEnum && schema.Enum is { Count: > 0 })
                {
                    schema.Type = JsonSchemaType.String;
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                DescribeOperation(operation, context.Description.RelativePath ?? "", context.Document!);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                DescribeDocument(document);
                return Task.CompletedTask;
            });
        });
    }

    /// <summary>Declares problem+json answers (<see cref="ApiProblem"/>) with these statuses.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            route.Produces<ApiProblem>(status, ProblemJson);
        }

        return route;
    }

    /// <summary>
    /// A route that reads a JSON body of <typeparamref name="TBody"/>: another media type is answered 415 (before the
    /// key is checked), a body above <see cref="RawBodies.MaxBytes"/> 413.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<TBody>(this RouteHandlerBuilder route, bool optional = false)
        where TBody : notnull =>
        route.Accepts<TBody>(optional, "application/json").ProducesProblems(413, 415);

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info.Title = "OrderPayments API";
        document.Info.Description =
            "Take payment for an order through Vipps (directly, or through PayEx): start it, follow it, capture on shipment, " +
            "cancel, refund. Amounts are minor units (øre, cents). Every refusal is application/problem+json naming what was wrong; " +
            "a field that has no value is left out of an answer, never written as null; answers may gain fields.";
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Orders", Description = "An order's payment: start it (storefront), follow it, capture per shipment (fulfillment), cancel, refund, start a new attempt." },
            new() { Name = "Notifications", Description = "Operators manage the endpoints storefront events are delivered to (signed, Standard Webhooks) and the failed deliveries." },
            new() { Name = "Webhooks", Description = "What the payment providers post to this API: Vipps webhooks (signed) and PayEx callbacks. Not called by a storefront." },
            new() { Name = "Reports", Description = "Operators search and filter orders, total them by currency and chart them by hour (the operator console's data)." },
        };
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        var schemas = document.Components?.Schemas ?? throw new InvalidOperationException("The OpenAPI document has no schemas.");
        foreach (var (name, schema) in schemas)
        {
            if (schema is not OpenApiSchema { Properties: { } properties } described)
            {
                continue;
            }

            foreach (var (property, value) in properties.ToList())
            {
                if (IsNullable(value))
                {
                    // Optional, and left out when it has no value: an answer never writes null (a request's null is
                    // taken as left out, but the contract does not offer it).
                    described.Required?.Remove(property);
                    properties[property] = WithoutNull(value);
                }
            }

            if (RequestBodies.ContainsKey(name))
            {
                described.AdditionalPropertiesAllowed = false;
            }
        }

        Apply(schemas, RequestBodies);
        Apply(schemas, ResponseValues);
    }

    private static void DescribeOperation(OpenApiOperation operation, string path, OpenApiDocument document)
    {
        operation.Responses ??= [];
        operation.Responses["500"] = Problem(document, "An unexpected error (urn:orderpayments:problem:internal-error): nothing acknowledged was lost; retry the request (it is idempotent).");
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            parameter.Schema = (parameter.Name, path.TrimEnd('/')) switch
            {
                ("orderId" or "after", _) => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = OrderIdPattern },
                ("limit", _) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = $"{OrderPaymentRequests.MaxPageSize}", Default = 50 },
                ("status", "api/orders") => new OpenApiSchema { Type = JsonSchemaType.String, Enum = Values(Enum.GetNames<PaymentStatus>()) },
                ("status", "api/notification-deliveries") => new OpenApiSchema { Type = JsonSchemaType.String, Enum = Values(NotificationEndpointRequests.DeliveryStatuses), Default = "failed" },
                ("waitForChange", _) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" },
                ("timeout", _) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = $"{(int)StatusWaits.LongestWait.TotalSeconds}", Default = (int)StatusWaits.LongestWait.TotalSeconds },
                _ => parameter.Schema,
            };
            parameter.Description = parameter.Name switch
            {
                "If-None-Match" => "The ETag of the status document the caller has (or *): answered 304 with no body while it is still current.",
                "waitForChange" => "A long poll: the order's version the caller has seen. Answered as soon as the version is greater (at once when it already is), " +
                    "else after 'timeout' with the document as it is then. Bounded per server: past the bound, 503 with Retry-After.",
                "timeout" => "With waitForChange: how long to wait for a change, in seconds (1 to 30, default 30).",
                _ => parameter.Description,
            };
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse answer)
            {
                continue;
            }

            if (Located(path, status))
            {
                answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
                answer.Headers["Location"] = new OpenApiHeader
                {
                    Description = "The path of what was created or signalled: the order's status document, or the notification endpoint.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }

            if (path == "api/orders/{orderId}/payment")
            {
                DescribeStatusAnswer(answer, status);
            }
        }

        switch (path)
        {
            // No API key (an empty security list): Vipps authenticates by signature; a PayEx callback moves nothing.
            case "api/webhooks/vipps":
                operation.Security = [];
                operation.Description = "Vipps delivers ePayment webhook events here. Authenticated by its HMAC signature over the raw body " +
                    "(x-ms-date, x-ms-content-sha256, Authorization), not by an API key; a delivery that does not verify is refused 401.";
                operation.RequestBody = NotificationBody("The ePayment webhook event, as Vipps sends it.");
                // The Authorization header (the signature itself) cannot be a parameter in OpenAPI: the description names it.
                operation.Parameters = [Header("x-ms-date"), Header("x-ms-content-sha256")];
                break;
            case "api/callbacks/payex":
                operation.Security = [];
                operation.Description = "PayEx posts its (unsigned) callback here; it only triggers an authenticated read of the payment, so a forged one moves nothing.";
                operation.RequestBody = NotificationBody("The PayEx callback (payment and transaction ids); only checked to be JSON.");
                operation.Parameters =
                [
                    new OpenApiParameter
                    {
                        Name = "reference",
                        In = ParameterLocation.Query,
                        Required = true,
                        Description = "The payment's reference, as this deployment put it in the callback URL it gave PayEx.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                ];
                break;
        }
    }

    /// <summary>
    /// The status document's answers (start and read): each document with its <c>ETag</c>; the read's 304 (not modified,
    /// no body) and 503 (too many long polls waiting, with <c>Retry-After</c>).
    /// </summary>
    private static void DescribeStatusAnswer(OpenApiResponse answer, string status)
    {
        answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
        switch (status)
        {
            case "200" or "201" or "202" or "304":
                answer.Headers["ETag"] = new OpenApiHeader
                {
                    Description = "The status document's entity tag: its version (with its pending signals and fault when it has any). Send it in If-None-Match to be answered 304 while nothing changed.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
                if (status == "304")
                {
                    answer.Description = "Not modified: the document the caller has (If-None-Match) is current. No body.";
                }

                break;
            case "503":
                answer.Description = "Too many long polls (waitForChange) wait already on this server (urn:orderpayments:problem:too-many-waiting): ask again after Retry-After, or read without waitForChange.";
                answer.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before asking again.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                };
                break;
        }
    }

    /// <summary>Answers that carry a <c>Location</c> header (<see cref="ApiResponse.Location"/>).</summary>
    private static bool Located(string path, string status) => (path, status) switch
    {
        ("api/orders/{orderId}/payment", "200" or "201" or "202") => true,
        ("api/notification-endpoints", "201") => true,
        (_, "200" or "202") when path.StartsWith("api/orders/{orderId}/", StringComparison.Ordinal) && !path.EndsWith("/payment", StringComparison.Ordinal) => true,
        _ => false,
    };

    private static OpenApiResponse Problem(OpenApiDocument document, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(ApiProblem), document) } },
    };

    private static OpenApiRequestBody NotificationBody(string description) => new()
    {
        Description = description,
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
    };

    private static OpenApiParameter Header(string name) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = "Part of Vipps' signature.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static void Apply(IDictionary<string, IOpenApiSchema> schemas, Dictionary<string, Dictionary<string, Action<OpenApiSchema>>> rules)
    {
        foreach (var (name, properties) in rules)
        {
            if (!schemas.TryGetValue(name, out var schema) || schema is not OpenApiSchema { Properties: { } described })
            {
                throw new InvalidOperationException($"The OpenAPI document has no schema {name} to describe.");
            }

            foreach (var (property, rule) in properties)
            {
                if (!described.TryGetValue(property, out var value) || value is not OpenApiSchema inline)
                {
                    throw new InvalidOperationException($"The OpenAPI schema {name} has no inline property {property} to describe.");
                }

                rule(inline);
            }
        }
    }

    private static bool IsNullable(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null)) || schema.OneOf?.Any(o => o.Type == JsonSchemaType.Null) == true;

    private static IOpenApiSchema WithoutNull(IOpenApiSchema schema)
    {
        if (schema.OneOf is { } alternatives)
        {
            return alternatives.Single(o => o.Type != JsonSchemaType.Null);
        }

        ((OpenApiSchema)schema).Type &= ~JsonSchemaType.Null;
        return schema;
    }

    private static void Text(OpenApiSchema schema, int minLength, int maxLength, string? pattern = null, string? format = null)
    {
        schema.MinLength = minLength;
        schema.MaxLength = maxLength;
        schema.Pattern = pattern;
        schema.Format = format;
    }

    private static void OneOf(OpenApiSchema schema, IEnumerable<string> values, string? fallback = null)
    {
        schema.Enum = Values(values);
        if (fallback is not null)
        {
            schema.Default = fallback;
        }
    }

    private static List<JsonNode> Values(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
}

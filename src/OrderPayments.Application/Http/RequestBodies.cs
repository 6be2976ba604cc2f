namespace OrderPayments.Application.Http;

// The request bodies of the contract, as types for the OpenAPI document. The handlers read bodies field by field
// (JsonBody) to name every bad field; a test checks these types and the handlers accept the same fields.

/// <summary>An amount in minor units (øre, cents), as in the Vipps API.</summary>
/// <param name="Currency">NOK, DKK or EUR.</param>
/// <param name="Value">Minor units, more than zero.</param>
public sealed record AmountBody(string Currency, long Value);

/// <summary>The body of <c>PUT /api/orders/{orderId}/payment</c>.</summary>
/// <param name="Amount">The amount to reserve.</param>
/// <param name="Description">Shown to the customer; 3 to 100 characters.</param>
/// <param name="ReturnUrl">Where the customer returns (required for WEB_REDIRECT and NATIVE_REDIRECT).</param>
/// <param name="UserFlow">WEB_REDIRECT (default), NATIVE_REDIRECT, PUSH_MESSAGE or QR.</param>
/// <param name="PhoneNumber">Digits with country code (e.g. 4712345678); required for PUSH_MESSAGE.</param>
/// <param name="Provider">vipps (default) or payex.</param>
public sealed record StartPaymentBody(AmountBody Amount, string Description, string? ReturnUrl, string? UserFlow, string? PhoneNumber, string? Provider);

/// <summary>The body of <c>POST /api/orders/{orderId}/fulfillments</c>.</summary>
/// <param name="ShipmentId">The fulfillment system's id; the same id again is the same shipment.</param>
/// <param name="Amount">What to capture; the rest of the reservation when left out.</param>
public sealed record FulfillmentBody(string ShipmentId, AmountBody? Amount);

/// <summary>The body of <c>POST /api/orders/{orderId}/cancellation</c> (optional).</summary>
/// <param name="Reason">Kept in the history.</param>
public sealed record CancellationBody(string? Reason);

/// <summary>The body of <c>POST /api/orders/{orderId}/refunds</c>.</summary>
/// <param name="RefundId">The storefront's id; the same id again is the same refund.</param>
/// <param name="Amount">What to pay back; at most what is captured and not refunded.</param>
public sealed record RefundBody(string RefundId, AmountBody Amount);

/// <summary>The body of <c>POST /api/orders/{orderId}/attempts</c>.</summary>
/// <param name="AttemptId">The storefront's id for the new attempt; the same id again is the same attempt.</param>
public sealed record AttemptBody(string AttemptId);

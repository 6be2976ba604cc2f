namespace OrderPayments.Application.Http;

// The request bodies of the contract, as types for the OpenAPI document. The handlers read bodies field by field
// (JsonBody) to name every bad field; a test checks these types and the handlers accept the same fields.

/// <summary>An amount in minor units (øre, cents), as in the Vipps API.</summary>
/// <param name="Currency">NOK, DKK or EUR.</param>
/// <param name="Value">Minor units, more than zero; when starting a payment 100 (NOK) or 1 (DKK, EUR) to 65000000, Vipps' range.</param>
public sealed record AmountBody(string Currency, long Value);

/// <summary>The body of <c>PUT /api/orders/{orderId}/payment</c>.</summary>
/// <param name="Amount">The amount to reserve.</param>
/// <param name="Description">Shown to the customer; 3 to 100 characters (at most 40 for payex).</param>
/// <param name="ReturnUrl">Where the customer returns: an absolute https URL or an app's own scheme, at most 2500 characters (required for WEB_REDIRECT and NATIVE_REDIRECT).</param>
/// <param name="UserFlow">WEB_REDIRECT (default), NATIVE_REDIRECT, PUSH_MESSAGE or QR.</param>
/// <param name="PhoneNumber">
/// The customer's number with its country code: +47 912 34 567, 0047 912 34 567 or 4791234567 (spaces, dashes, dots and
/// parentheses are ignored); 9 to 15 digits; a Norwegian number for payex; required for PUSH_MESSAGE. Kept as 4791234567.
/// </param>
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

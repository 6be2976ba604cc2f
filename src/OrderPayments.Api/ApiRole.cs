namespace OrderPayments.Api;

/// <summary>What an API key may do. Each role has its own keys (at most two, for rotation).</summary>
public enum ApiRole
{
    /// <summary>The shop: start payments, read an order, cancel, refund, new attempts.</summary>
    Storefront = 1,

    /// <summary>The warehouse: report shipments (captures) and cancellations, read an order. No refunds, no listing.</summary>
    Fulfillment = 2,

    /// <summary>People operating the service: every route, including listing orders.</summary>
    Operator = 3,
}

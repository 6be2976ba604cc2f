namespace OrderPayments.Http;

/// <summary>Which of a provider's rate limits a call counts against.</summary>
internal enum ProviderCallKind
{
    /// <summary>A read of a payment (Vipps: get payment, get event log).</summary>
    Query = 0,

    /// <summary>A change to a payment (Vipps: create, capture, cancel, refund).</summary>
    Mutation = 1,
}

using System.Text.Json.Serialization;

namespace OrderPayments.PayEx;

/// <summary>A hypermedia operation: what may be done next, and where. Only <see cref="Rel"/> is ever hard-coded.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Href">The absolute URL.</param>
/// <param name="Rel">The operation's name (e.g. <c>create-capture</c>).</param>
/// <param name="ContentType">The media type of the target.</param>
public sealed record PayExOperation(string Method, string Href, string Rel, string? ContentType = null);

/// <summary>A financial transaction (authorization, capture, cancellation or reversal).</summary>
/// <param name="Id">Its path.</param>
/// <param name="Type">Authorization, Capture, Cancellation or Reversal.</param>
/// <param name="State">Initialized, Completed, Failed or AwaitingActivity.</param>
/// <param name="Amount">Minor units.</param>
/// <param name="VatAmount">Minor units.</param>
/// <param name="Description">As sent.</param>
/// <param name="PayeeReference">The merchant's reference of the operation.</param>
/// <param name="FailedReason">Why it failed, when it did.</param>
public sealed record PayExTransaction(string? Id, string? Type, string? State, long Amount, long VatAmount, string? Description, string? PayeeReference, string? FailedReason);

/// <summary>One item of an expanded transaction list.</summary>
/// <param name="Id">The item's path.</param>
/// <param name="Transaction">Its transaction.</param>
public sealed record PayExTransactionItem(string? Id, PayExTransaction? Transaction);

/// <summary>The <c>authorizations</c> sub-resource (its list only when expanded).</summary>
/// <param name="Id">Its path.</param>
/// <param name="AuthorizationList">The authorizations.</param>
public sealed record PayExAuthorizations(string? Id, IReadOnlyList<PayExTransactionItem>? AuthorizationList);

/// <summary>The <c>captures</c> sub-resource.</summary>
/// <param name="Id">Its path.</param>
/// <param name="CaptureList">The captures.</param>
public sealed record PayExCaptures(string? Id, IReadOnlyList<PayExTransactionItem>? CaptureList);

/// <summary>The <c>cancellations</c> sub-resource.</summary>
/// <param name="Id">Its path.</param>
/// <param name="CancellationList">The cancellations.</param>
public sealed record PayExCancellations(string? Id, IReadOnlyList<PayExTransactionItem>? CancellationList);

/// <summary>The <c>reversals</c> sub-resource.</summary>
/// <param name="Id">Its path.</param>
/// <param name="ReversalList">The reversals.</param>
public sealed record PayExReversals(string? Id, IReadOnlyList<PayExTransactionItem>? ReversalList);

/// <summary>A Vipps payment at PayEx.</summary>
/// <param name="Id">Its path, <c>/psp/vipps/payments/{id}</c>: the payment's identity.</param>
/// <param name="Number">Its number.</param>
/// <param name="State">Ready, Pending, Failed or Aborted (says nothing about money reserved).</param>
/// <param name="Currency">NOK.</param>
/// <param name="Amount">The amount of the purchase.</param>
/// <param name="RemainingCaptureAmount">What may still be captured.</param>
/// <param name="RemainingCancellationAmount">What may still be cancelled.</param>
/// <param name="RemainingReversalAmount">What may still be reversed.</param>
/// <param name="Authorizations">Authorizations (listed with <c>$expand</c>).</param>
/// <param name="Captures">Captures (listed with <c>$expand</c>).</param>
/// <param name="Cancellations">Cancellations (listed with <c>$expand</c>).</param>
/// <param name="Reversals">Reversals (listed with <c>$expand</c>).</param>
public sealed record PayExPayment(
    string Id,
    long? Number,
    string? State,
    string? Currency,
    long Amount,
    long? RemainingCaptureAmount,
    long? RemainingCancellationAmount,
    long? RemainingReversalAmount,
    PayExAuthorizations? Authorizations,
    PayExCaptures? Captures,
    PayExCancellations? Cancellations,
    PayExReversals? Reversals);

/// <summary>A payment resource response: the payment and the operations it offers now.</summary>
/// <param name="Payment">The payment.</param>
/// <param name="Operations">What may be done next.</param>
public sealed record PayExPaymentResponse(PayExPayment Payment, IReadOnlyList<PayExOperation>? Operations)
{
    /// <summary>The operation named <paramref name="rel"/> (the first of several names), or null when not offered now.</summary>
    public PayExOperation? Operation(params string[] rel) =>
        rel.Select(r => Operations?.FirstOrDefault(o => string.Equals(o.Rel, r, StringComparison.Ordinal))).FirstOrDefault(o => o is not null);
}

/// <summary>A PayEx problem document (RFC 7807); <see cref="Type"/> is the only field to branch on.</summary>
/// <param name="Type">The problem type URL (e.g. <c>https://api.payex.com/psp/errordetail/inputerror</c>).</param>
/// <param name="Title">A summary.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">What went wrong.</param>
/// <param name="Instance">This occurrence.</param>
/// <param name="Problems">Field problems.</param>
public sealed record PayExProblem(string? Type, string? Title, int? Status, string? Detail, string? Instance, IReadOnlyList<PayExProblemItem>? Problems)
{
    /// <summary>The last segment of the type URL (<c>inputerror</c>, <c>vipps_declined</c>), or null.</summary>
    [JsonIgnore]
    public string? Kind => Type?.TrimEnd('/').Split('/')[^1];
}

/// <summary>One problem of a problem document.</summary>
/// <param name="Name">The field or subject.</param>
/// <param name="Description">What is wrong with it.</param>
public sealed record PayExProblemItem(string? Name, string? Description);

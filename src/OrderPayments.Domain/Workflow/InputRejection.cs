namespace OrderPayments.Domain.Workflow;

/// <summary>Why an input was refused; a rejected input changes nothing.</summary>
/// <param name="Reason">The kind of refusal.</param>
/// <param name="Message">What was wrong, in words a storefront developer can act on.</param>
/// <param name="Field">The request field at fault (camelCase), when one is.</param>
public sealed record InputRejection(RejectionReason Reason, string Message, string? Field = null);

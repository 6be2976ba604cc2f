using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Http;

/// <summary>Why a shipment or refund was refused when it was applied (the same as a repeat of it is answered with).</summary>
/// <param name="Reason">The kind, as in the problem type of the answer (e.g. <c>not-allowed</c>).</param>
/// <param name="Message">What was wrong.</param>
public sealed record RejectionEntry(string Reason, string Message)
{
    /// <summary>The entry of <paramref name="rejection"/>, or null.</summary>
    public static RejectionEntry? From(InputRejection? rejection) =>
        rejection is null ? null : new RejectionEntry(ApiProblem.Kind(rejection.Reason), rejection.Message);
}

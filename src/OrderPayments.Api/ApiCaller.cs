namespace OrderPayments.Api;

/// <summary>An authenticated caller: its role, and which of the role's keys it used (named in the order's history).</summary>
/// <param name="Role">What it may do.</param>
/// <param name="Name">e.g. <c>fulfillment/2</c>: the role and the key's place in its list (so a rotation can be followed).</param>
internal sealed record ApiCaller(ApiRole Role, string Name);

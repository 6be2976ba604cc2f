using System.Text.Json.Serialization;

namespace OrderPayments.Application.Http;

/// <summary>An RFC 9457 problem document (<c>application/problem+json</c>); <c>errors</c> names every bad field.</summary>
/// <param name="Type">A stable URN for the kind of problem (<c>urn:orderpayments:problem:…</c>), documented in docs/api.md.</param>
/// <param name="Title">A short summary of the kind.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What was wrong with this request.</param>
/// <param name="Errors">The fields at fault and why, when the problem is about fields.</param>
public sealed record ApiProblem(
    string Type,
    string Title,
    int Status,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ApiFieldError>? Errors = null)
{
    /// <summary>The request's fields are missing or invalid (400).</summary>
    public static ApiProblem Invalid(IReadOnlyList<ApiFieldError> errors) => new(
        Urn("invalid-request"),
        "The request is invalid.",
        400,
        string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")),
        errors);

    /// <summary>The body is not JSON (400).</summary>
    public static ApiProblem MalformedJson(string detail) => new(Urn("malformed-json"), "The body is not valid JSON.", 400, detail);

    /// <summary>There is no such order (404).</summary>
    public static ApiProblem OrderNotFound(string orderId) =>
        new(Urn("order-not-found"), "There is no such order.", 404, $"No payment was started for order '{orderId}'.");

    /// <summary>The API key is missing or wrong (401).</summary>
    public static ApiProblem Unauthorized(string detail) => new(Urn("unauthorized"), "Not authenticated.", 401, detail);

    /// <summary>403: the caller is authenticated, but its role may not do this.</summary>
    public static ApiProblem Forbidden(string detail) => new(Urn("forbidden"), "Not allowed for this API key.", 403, detail);

    /// <summary>A webhook or callback is not authentic (401).</summary>
    public static ApiProblem NotAuthentic(string detail) => new(Urn("notification-not-authentic"), "The notification is not authentic.", 401, detail);

    /// <summary>A webhook or callback came from a source address that is not allowed to send them (403).</summary>
    public static ApiProblem SourceNotAllowed(string detail) => new(Urn("notification-source-not-allowed"), "The notification's source is not allowed.", 403, detail);

    /// <summary>The body is sent as something other than JSON (415).</summary>
    public static ApiProblem UnsupportedMediaType() =>
        new(Urn("unsupported-media-type"), "Send the body as JSON.", 415, "The Content-Type must be application/json.");

    /// <summary>There is no such route or provider (404).</summary>
    public static ApiProblem NotFound(string detail) => new(Urn("not-found"), "Not found.", 404, detail);

    /// <summary>A stable problem type URN.</summary>
    public static string Urn(string kind) => $"urn:orderpayments:problem:{kind}";

    /// <summary>The problem kind of a workflow refusal (its reason in kebab case, e.g. <c>not-allowed</c>).</summary>
    public static string Kind(Domain.Workflow.RejectionReason reason) =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>One bad field.</summary>
/// <param name="Field">The field's JSON path (e.g. <c>amount.value</c>) or route parameter (<c>orderId</c>).</param>
/// <param name="Message">Why it is wrong.</param>
public sealed record ApiFieldError(string Field, string Message);

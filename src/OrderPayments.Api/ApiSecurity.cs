using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OrderPayments.Application.Http;

namespace OrderPayments.Api;

/// <summary>
/// Who may call which route: every order route names the roles it allows (<see cref="ApiRole"/>), checks the
/// <c>X-Api-Key</c> against the keys of all roles (401 when it matches none, 403 when its role is not allowed), and
/// passes the caller's name on to the order's history. The OpenAPI document declares the scheme and each route's roles.
/// </summary>
internal static class ApiSecurity
{
    /// <summary>The name of the scheme in the OpenAPI document.</summary>
    public const string SchemeName = "ApiKey";

    private const string CallerItem = "OrderPayments.Caller";

    /// <summary>Lets only callers with one of <paramref name="roles"/> through.</summary>
    public static RouteHandlerBuilder RequireRoles(this RouteHandlerBuilder route, ApiKeys keys, params ApiRole[] roles) =>
        route
            .WithMetadata(new AllowedRoles(roles))
            .ProducesProblems(401, 403)
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                var given = http.Request.Headers[ApiApp.ApiKeyHeader].ToString();
                if (keys.Find(given) is not { } caller)
                {
                    // Told apart for the caller's sake (a missing header is a client bug, a wrong key a typo or a
                    // rotated key); nothing about which keys exist is given away.
                    return new ApiApp.ApiResult(ApiResponse.Problem(ApiProblem.Unauthorized(string.IsNullOrEmpty(given)
                        ? $"No API key was sent: send one in the {ApiApp.ApiKeyHeader} header."
                        : $"The API key in the {ApiApp.ApiKeyHeader} header is not a key of this API (mistyped, or replaced in a rotation).")));
                }

                if (!roles.Contains(caller.Role))
                {
                    return new ApiApp.ApiResult(ApiResponse.Problem(ApiProblem.Forbidden(
                        $"A {caller.Role.ToString().ToLowerInvariant()} key may not call {http.Request.Method} {http.Request.Path}; allowed: {Names(roles)}.")));
                }

                http.Items[CallerItem] = caller;
                return await next(context);
            });

    /// <summary>The name of the authenticated caller of the request (e.g. <c>storefront/1</c>).</summary>
    public static string? Caller(HttpRequest request) => (request.HttpContext.Items[CallerItem] as ApiCaller)?.Name;

    /// <summary>Declares the API key scheme, and on each route that needs a key, the requirement and the roles allowed.</summary>
    public static void Describe(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiApp.ApiKeyHeader,
                Description = "A key of the storefront, fulfillment or operator role (OrderPayments:ApiKeys:{Role}); each route lists the roles it allows.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<AllowedRoles>().FirstOrDefault() is { } allowed)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }];
                operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? "" : " ")}Roles: {Names(allowed.Roles)}.";
            }

            return Task.CompletedTask;
        });
    }

    private static string Names(IEnumerable<ApiRole> roles) => string.Join(", ", roles.Select(role => role.ToString().ToLowerInvariant()));

    /// <summary>The roles a route allows (endpoint metadata, read by the OpenAPI transformer).</summary>
    private sealed record AllowedRoles(IReadOnlyList<ApiRole> Roles);
}

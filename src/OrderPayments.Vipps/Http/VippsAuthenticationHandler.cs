using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderPayments.Vipps.AccessToken;

namespace OrderPayments.Vipps.Http;

/// <summary>
/// Adds what every ePayment and Webhooks call needs (bearer token, subscription key, MSN, system headers). When
/// Vipps answers 401, the token is dropped and the call is sent once more with a fresh token.
/// </summary>
internal sealed class VippsAuthenticationHandler : DelegatingHandler
{
    private readonly VippsAccessTokenProvider _tokens;
    private readonly IOptionsMonitor<VippsOptions> _options;
    private readonly ILogger<VippsAuthenticationHandler> _logger;

    public VippsAuthenticationHandler(VippsAccessTokenProvider tokens, IOptionsMonitor<VippsOptions> options, ILogger<VippsAuthenticationHandler> logger)
    {
        _tokens = tokens;
        _options = options;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        VippsHeaders.AddCommon(request.Headers, _options.CurrentValue);
        var snapshot = await HttpRequestSnapshot.CaptureAsync(request, cancellationToken).ConfigureAwait(false);

        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(snapshot.Create(h => h.Authorization = Bearer(token)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        VippsLogs.TokenRejected(_logger, request.Method.Method, request.RequestUri?.AbsolutePath ?? "");
        response.Dispose();
        _tokens.Invalidate(token);
        var fresh = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(snapshot.Create(h => h.Authorization = Bearer(fresh)), cancellationToken).ConfigureAwait(false);
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}

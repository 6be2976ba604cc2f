using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace OrderPayments.Api.Tests.Contract;

/// <summary>
/// Checks every exchange with the API's routes (<c>/api/…</c>) of one test host against the OpenAPI document the API
/// serves (<see cref="OpenApiContract"/>), so that the whole test suite is the contract test. A middleware placed before
/// all of the app's own sees each request and the final answer (error pages included); the routes outside <c>/api</c>
/// (the operator page, <c>/health</c>, the document and its reference page, the simulator) are not checked.
/// </summary>
/// <remarks>
/// A violation fails the test that observed it: a request sent through <see cref="CreateClient"/>'s client throws
/// <see cref="ContractViolationException"/> from the call, naming the route, the status and the schema error. A
/// violation seen by another client (a browser, a provider's webhook) is kept and thrown by
/// <see cref="ThrowIfViolated"/> when the host is disposed.
/// </remarks>
internal sealed class ContractCheck : IStartupFilter
{
    private const string CheckedByClientHeader = "X-Contract-Checked-By-Client";
    private const string ViolationHeader = "X-Contract-Violation";

    // The document is the same for every host of this build: read once per test process, from the first host.
    private static readonly Lock DocumentLock = new();
    private static Task<OpenApiContract>? _document;

    private readonly TaskCompletionSource<OpenApiContract> _contract = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _unclaimed = new();

    /// <summary>Reads the contract from <paramref name="api"/>'s <c>/openapi/v1.json</c> (once per process) and starts checking.</summary>
    public async Task LoadAsync(HttpClient api)
    {
        Task<OpenApiContract> document;
        lock (DocumentLock)
        {
            document = _document ??= ReadAsync(api);
        }

        try
        {
            _contract.TrySetResult(await document);
        }
        catch (Exception e)
        {
            _contract.TrySetException(e);
            throw;
        }
    }

    /// <summary>A client of the API whose calls throw <see cref="ContractViolationException"/> on an answer the contract does not allow.</summary>
    public static HttpClient CreateClient(Uri address) => new(new ClientSide()) { BaseAddress = address };

    /// <summary>Throws the violations that no checking client has thrown (seen by other clients), if any.</summary>
    /// <exception cref="ContractViolationException">At least one exchange broke the contract.</exception>
    public void ThrowIfViolated()
    {
        if (!_unclaimed.IsEmpty)
        {
            throw new ContractViolationException(string.Join(Environment.NewLine, _unclaimed));
        }
    }

    /// <inheritdoc />
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(CheckAsync);
        next(app);
    };

    private static async Task<OpenApiContract> ReadAsync(HttpClient api)
    {
        using var response = await api.GetAsync("openapi/v1.json");
        response.EnsureSuccessStatusCode();
        return OpenApiContract.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering();
        var answer = context.Response.Body;
        await using var buffered = new MemoryStream();
        context.Response.Body = buffered;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = answer;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away (e.g. the simulator's webhook sender timed out under load): nothing was answered to check.
            return;
        }

        context.Request.Body.Position = 0;
        await using var request = new MemoryStream();
        await context.Request.Body.CopyToAsync(request);
        var exchange = new ObservedExchange(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.ContentType,
            request.ToArray(),
            context.Response.StatusCode,
            context.Response.ContentType,
            buffered.ToArray());
        var problems = (await _contract.Task).Check(exchange);
        if (problems.Count > 0)
        {
            var message = string.Join(Environment.NewLine, problems);
            if (context.Request.Headers.ContainsKey(CheckedByClientHeader) && !context.Response.HasStarted)
            {
                context.Response.Headers[ViolationHeader] = Uri.EscapeDataString(message.Length <= 16_000 ? message : message[..16_000] + "…");
            }
            else
            {
                _unclaimed.Enqueue(message);
            }
        }

        buffered.Position = 0;
        await buffered.CopyToAsync(answer, context.RequestAborted);
    }

    /// <summary>Marks its requests as checked by the caller, and throws the violation the server found in an answer.</summary>
    private sealed class ClientSide() : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation(CheckedByClientHeader, "1");
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues(ViolationHeader, out var violations))
            {
                response.Dispose();
                throw new ContractViolationException(Uri.UnescapeDataString(violations.Single()));
            }

            return response;
        }
    }
}

using System.Net;
using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace OrderPayments.Functions.Tests.Host;

/// <summary>An HTTP request as the worker hands it to an HTTP-triggered function (method, URL, headers, the body as read).</summary>
internal sealed class TestHttpRequestData(FunctionContext context, string method, Uri url, HttpHeadersCollection headers, Stream body) : HttpRequestData(context)
{
    public override Stream Body => body;

    public override HttpHeadersCollection Headers => headers;

    public override IReadOnlyCollection<IHttpCookie> Cookies => [];

    public override Uri Url => url;

    public override IEnumerable<ClaimsIdentity> Identities => [];

    public override string Method => method;

    public override HttpResponseData CreateResponse() => new TestHttpResponseData(FunctionContext);
}

/// <summary>The response a function writes (status, headers, body), which the test host copies to the HTTP answer.</summary>
internal sealed class TestHttpResponseData(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; } = HttpStatusCode.OK;

    public override HttpHeadersCollection Headers { get; set; } = [];

    public override Stream Body { get; set; } = new MemoryStream();

    public override HttpCookies Cookies => throw new NotSupportedException("Not played by the test host.");
}

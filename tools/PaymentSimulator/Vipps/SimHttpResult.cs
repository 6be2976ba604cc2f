using System.Globalization;
using System.Text;

namespace PaymentSimulator.Vipps;

/// <summary>Writes a <see cref="SimResponse"/>: status, media type, optional <c>Retry-After</c>, JSON body.</summary>
internal sealed class SimHttpResult(SimResponse response) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => response.Status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = response.Status;
        if (response.RetryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (response.Body is not null)
        {
            httpContext.Response.ContentType = response.ContentType;
            await httpContext.Response.WriteAsync(response.Body.ToJsonString(), Encoding.UTF8);
        }
    }
}

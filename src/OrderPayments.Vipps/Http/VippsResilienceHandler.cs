using OrderPayments.Http;

namespace OrderPayments.Vipps.Http;

/// <summary>
/// Runs every Vipps call through <see cref="VippsResiliencePipeline"/>, sending a fresh copy of the request on
/// each attempt (a request and its content can be sent only once).
/// </summary>
internal sealed class VippsResilienceHandler : ResilienceHandler
{
    public VippsResilienceHandler(VippsResiliencePipeline pipeline)
        : base(pipeline.Pipeline)
    {
    }
}

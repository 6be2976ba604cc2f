using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

/// <summary>Providers that name a payment by their own id (PayEx) get that id on every later call.</summary>
public sealed class ProviderPaymentIdTests
{
    private const string PayExId = "/psp/vipps/payments/5adc265f-f87f-4313-577e-08d3dca1a26c";

    [Fact]
    public void CreateSucceeded_WithTheProvidersId_LaterCallsCarryIt()
    {
        var driver = new WorkflowDriver(request: Request(provider: PaymentProvider.PayEx));
        driver.Send(new ActivitySucceeded(driver.InFlight<CreatePayment>().Key, ProviderPaymentId: PayExId));

        var query = driver.WakeUp().Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();

        query.ProviderPaymentId.ShouldBe(PayExId);
        driver.State.ProviderPaymentIds[driver.State.Reference.Value].ShouldBe(PayExId);
    }

    [Fact]
    public void CreateSucceeded_WithoutAnId_CallsCarryNone()
    {
        var driver = new WorkflowDriver().Created();

        var query = driver.WakeUp().Actions.ShouldHaveSingleItem().ShouldBeOfType<QueryPayment>();

        query.ProviderPaymentId.ShouldBeNull();
    }
}

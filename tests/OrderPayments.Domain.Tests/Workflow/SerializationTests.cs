using System.Text.Json;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

public sealed class SerializationTests
{
    private static string Json<T>(T value) => JsonSerializer.Serialize(value, OrderPaymentsJson.Options);

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, OrderPaymentsJson.Options)!;

    [Fact]
    public void State_AfterALongLife_RoundTripsThroughJsonUnchanged()
    {
        var driver = new WorkflowDriver().Captured();
        driver.Send(new RefundRequested("refund-1", Nok(100)));

        var json = Json(driver.State);
        var restored = Read<OrderPaymentState>(json);

        Json(restored).ShouldBe(json);
        restored.InFlight.ShouldHaveSingleItem().ShouldBeOfType<RefundPayment>().Amount.ShouldBe(Nok(100));
    }

    [Fact]
    public void State_RestoredFromJson_DecidesLikeTheOriginal()
    {
        var driver = new WorkflowDriver().Authorized();
        var restored = Read<OrderPaymentState>(Json(driver.State));

        var fromOriginal = driver.Workflow.Decide(driver.State, new FulfillmentSignalled("s-1", Nok(10)), driver.Now);
        var fromRestored = driver.Workflow.Decide(restored, new FulfillmentSignalled("s-1", Nok(10)), driver.Now);

        Json(fromRestored.State).ShouldBe(Json(fromOriginal.State));
        fromRestored.Actions.ShouldBe(fromOriginal.Actions);
    }

    [Fact]
    public void State_Json_UsesStringEnumsAndPlainIdentifiers()
    {
        var json = Json(new WorkflowDriver().State);

        json.ShouldContain("\"status\":\"Creating\"");
        json.ShouldContain("\"reference\":\"order-42-1\"");
        json.ShouldContain("\"userFlow\":\"WEB_REDIRECT\"");
        json.ShouldContain("\"type\":\"create\"");
        json.ShouldNotContain("isFinal");
    }

    [Fact]
    public void Input_Polymorphic_RoundTripsWithItsTypeTag()
    {
        WorkflowInput input = new FulfillmentSignalled("shipment-1", Nok(250));

        var json = Json(input);

        json.ShouldStartWith("{\"type\":\"fulfillment\"");
        Read<WorkflowInput>(json).ShouldBe(input);
    }

    [Fact]
    public void Json_FromANewerVersionWithUnknownFields_IsStillRead()
    {
        var json = Json<WorkflowInput>(new CancelRequested("reason")).Replace("}", ",\"addedLater\":1}", StringComparison.Ordinal);

        Read<WorkflowInput>(json).ShouldBe(new CancelRequested("reason"));
    }
}

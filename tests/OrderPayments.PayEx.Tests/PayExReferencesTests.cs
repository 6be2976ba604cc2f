using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Notifications;
using System.Text;

namespace OrderPayments.PayEx.Tests;

public sealed class PayExReferencesTests
{
    [Fact]
    public void For_AnyKey_IsThirtyLettersAndDigits()
    {
        var reference = PayExReferences.For(IdempotencyKey.For(OrderId.Parse(new string('x', 60)), 3, "capture", 12));

        reference.Length.ShouldBe(30);
        reference.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c));
    }

    [Fact]
    public void For_SameKey_IsStable_OtherKey_Differs()
    {
        var key = IdempotencyKey.For(OrderId.Parse("order-1"), 1, "capture", 1);

        PayExReferences.For(key).ShouldBe(PayExReferences.For(key));
        PayExReferences.For(IdempotencyKey.For(OrderId.Parse("order-1"), 1, "capture", 2)).ShouldNotBe(PayExReferences.For(key));
    }
}

public sealed class PayExOptionsValidatorTests
{
    [Fact]
    public void Validate_MissingTokenAndPayee_NamesBoth()
    {
        var result = new PayExOptionsValidator().Validate(null, new PayExOptions());

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("PayEx:AccessToken");
        result.FailureMessage.ShouldContain("PayEx:PayeeId");
    }

    [Fact]
    public void Validate_Complete_Succeeds() =>
        new PayExOptionsValidator().Validate(null, new PayExOptions { AccessToken = "t", PayeeId = "p" }).ShouldBe(ValidateOptionsResult.Success);
}

public sealed class PayExNotificationsTests
{
    [Fact]
    public async Task Read_CallbackWithTheReference_IsAHintForThatPayment()
    {
        var delivery = NotificationDelivery.From([], Encoding.UTF8.GetBytes("""{"payment":{"id":"/psp/vipps/payments/1","number":1},"transaction":{"id":"/psp/vipps/payments/1/captures/9","number":9}}""")) with
        {
            Query = new Dictionary<string, string> { ["reference"] = "order-7-0001" },
        };

        var read = await new PayExNotifications().ReadAsync(delivery, CancellationToken.None);

        var notification = read.Notifications.ShouldHaveSingleItem();
        notification.Input.ShouldBeOfType<ProviderNotified>().Reference.Value.ShouldBe("order-7-0001");
        notification.DedupeKey.ShouldBe("payex:order-7-0001:/psp/vipps/payments/1/captures/9");
    }

    [Fact]
    public async Task Read_NoReference_IsUnreadable()
    {
        var read = await new PayExNotifications().ReadAsync(NotificationDelivery.From([], Encoding.UTF8.GetBytes("{}")), CancellationToken.None);

        read.Refusal.ShouldNotBeNull();
        read.Unauthenticated.ShouldBeFalse();
    }
}

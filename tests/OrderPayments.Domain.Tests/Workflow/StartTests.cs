using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Workflow;

public sealed class StartTests
{
    [Fact]
    public void Start_ValidRequest_CreatesAttemptOneWithDerivedKeyAndReference()
    {
        var driver = new WorkflowDriver();

        var create = driver.LastStep.Actions.ShouldHaveSingleItem().ShouldBeOfType<CreatePayment>();
        create.Key.Value.ShouldBe("order-42-1-create-1");
        create.Reference.Value.ShouldBe("order-42-1");
        create.Amount.ShouldBe(Nok(1000));
        create.ReturnUrl.ShouldBe("https://shop.example/return/order-42");
        driver.State.Status.ShouldBe(PaymentStatus.Creating);
        driver.State.Attempt.ShouldBe(1);
    }

    [Fact]
    public void Start_WhileCreating_AsksNotToBeWoken() => new WorkflowDriver().State.WakeAt.ShouldBeNull();

    [Fact]
    public void Start_InvalidRequest_ThrowsListingEveryField() =>
        Should.Throw<ArgumentException>(() => new OrderPaymentWorkflow().Start(
                new PaymentRequest(Order, Nok(0), "x", UserFlow.PushMessage), Epoch))
            .Message.ShouldSatisfyAllConditions(
                m => m.ShouldContain("amount:"),
                m => m.ShouldContain("description:"),
                m => m.ShouldContain("phoneNumber:"));

    [Fact]
    public void Validate_RedirectFlowWithoutReturnUrl_NamesReturnUrl() =>
        new PaymentRequest(Order, Nok(100), "Books", UserFlow.WebRedirect).Validate()
            .ShouldHaveSingleItem().Field.ShouldBe("returnUrl");

    [Fact]
    public void Validate_RelativeReturnUrl_NamesReturnUrl() =>
        new PaymentRequest(Order, Nok(100), "Books", UserFlow.WebRedirect, "/return").Validate()
            .ShouldHaveSingleItem().Field.ShouldBe("returnUrl");

    [Fact]
    public void Validate_PushMessageWithoutPhoneNumber_NamesPhoneNumber() =>
        new PaymentRequest(Order, Nok(100), "Books", UserFlow.PushMessage).Validate()
            .ShouldHaveSingleItem().Field.ShouldBe("phoneNumber");

    [Fact]
    public void Validate_PhoneNumberWithPlus_NamesPhoneNumber() =>
        new PaymentRequest(Order, Nok(100), "Books", UserFlow.PushMessage, PhoneNumber: "+4712345678").Validate()
            .ShouldHaveSingleItem().Field.ShouldBe("phoneNumber");

    [Theory]
    [InlineData(Currency.DKK)]
    [InlineData(Currency.EUR)]
    public void Issue15_Validate_PayExInAnotherCurrencyThanNok_NamesTheCurrency(Currency currency) =>
        new PaymentRequest(Order, new Money(100, currency), "Books", UserFlow.WebRedirect, "https://shop.example/return", Provider: PaymentProvider.PayEx).Validate()
            .ShouldHaveSingleItem().Field.ShouldBe("amount.currency");

    [Fact]
    public void Validate_PayExInNok_IsValid() =>
        new PaymentRequest(Order, Nok(100), "Books", UserFlow.WebRedirect, "https://shop.example/return", Provider: PaymentProvider.PayEx).Validate().ShouldBeEmpty();

    [Fact]
    public void Validate_QrFlowWithoutReturnUrl_IsValid() =>
        new PaymentRequest(Order, Nok(100), "Books", UserFlow.Qr).Validate().ShouldBeEmpty();

    [Theory]
    [InlineData("ab")]
    [InlineData("   ")]
    public void Validate_DescriptionShorterThanThree_NamesDescription(string description) =>
        new PaymentRequest(Order, Nok(100), description, UserFlow.Qr).Validate()
            .ShouldHaveSingleItem().Field.ShouldBe("description");

    [Fact]
    public void Constructor_NonsensicalOptions_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new OrderPaymentWorkflow(new WorkflowOptions { PollBackoffFactor = 0.5 }));
}

using OrderPayments.Domain.Workflow;
using static OrderPayments.Domain.Tests.Workflow.WorkflowDriver;

namespace OrderPayments.Domain.Tests.Issues;

/// <summary>
/// Issue 14, the specifications' limits: a start request the provider's specification refuses is refused when it is
/// made, naming the field, instead of being started and failing at the provider (or being cut short silently).
/// </summary>
public sealed class Issue14LimitTests
{
    private const string ReturnUrl = "https://shop.example/return";

    [Theory]
    [InlineData(PaymentProvider.Vipps)]
    [InlineData(PaymentProvider.PayEx)]
    public void Validate_AmountAroundTheVippsMaximum_RefusesOnlyAboveIt(PaymentProvider provider)
    {
        Start(Nok(65_000_000), provider).Validate().ShouldBeEmpty();
        Start(Nok(65_000_001), provider).Validate().ShouldHaveSingleItem().Field.ShouldBe("amount.value");
        Start(Nok(99_999_999_999), provider).Validate().ShouldHaveSingleItem().Field.ShouldBe("amount.value");
    }

    [Fact]
    public void Validate_AmountBelowTheVippsMinimumOfItsCurrency_NamesAmountValue()
    {
        Start(Nok(99)).Validate().ShouldHaveSingleItem().Field.ShouldBe("amount.value");
        Start(Nok(100)).Validate().ShouldBeEmpty();
        Start(new Money(1, Currency.DKK)).Validate().ShouldBeEmpty();
        Start(new Money(1, Currency.EUR)).Validate().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("47123456")] // 8 digits: the specification's pattern is ^\d{9,15}$
    [InlineData("0471234567")] // a leading 0 is a national (trunk) prefix, never a country code
    public void Validate_PhoneNumberOutsideTheVippsPattern_NamesPhoneNumber(string phone)
    {
        Push(phone).Validate().ShouldHaveSingleItem().Field.ShouldBe("phoneNumber");
        Push("358401234").Validate().ShouldBeEmpty();
        Push("471234567890123").Validate().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("4512345678")] // Danish
    [InlineData("479123456")] // Norwegian country code with 7 digits
    [InlineData("47912345678")] // Norwegian country code with 9 digits
    public void Validate_PayExWithANumberThatIsNotNorwegian_NamesPhoneNumber(string phone)
    {
        Push(phone, PaymentProvider.PayEx).Validate().ShouldHaveSingleItem().Field.ShouldBe("phoneNumber");
        Push("4791234567", PaymentProvider.PayEx).Validate().ShouldBeEmpty();
    }

    [Fact]
    public void Validate_PayExDescriptionLongerThan40_NamesDescription()
    {
        Start(Nok(1000), PaymentProvider.PayEx, new string('d', 41)).Validate().ShouldHaveSingleItem().Field.ShouldBe("description");
        Start(Nok(1000), PaymentProvider.PayEx, new string('d', 40)).Validate().ShouldBeEmpty();
        Start(Nok(1000), PaymentProvider.Vipps, new string('d', 100)).Validate().ShouldBeEmpty();
    }

    [Fact]
    public void Validate_ReturnUrl_TakesHttpsAnAppSchemeOrLoopbackHttpOnly()
    {
        string[] refused = ["http://shop.example/return", "HTTP://SHOP.EXAMPLE/return", "javascript:alert(1)", "data:text/html,paid", "vbscript:msgbox"];
        string[] accepted = ["https://shop.example/return", "myshop://paid", "http://localhost:5000/", "http://127.0.0.1:5000/", "http://[::1]/return"];

        refused.Select(url => (url, Fields(url))).ShouldAllBe(r => r.Item2 == "returnUrl");
        accepted.Select(url => (url, Fields(url))).ShouldAllBe(r => r.Item2 == "");
    }

    [Fact]
    public void Start_RequestStoredBeforeTheLimits_StillStartsWhenReplayed()
    {
        var stored = new PaymentRequest(Order, Nok(99), new string('d', 60), UserFlow.PushMessage, "http://shop.example/return", "47123456", PaymentProvider.PayEx);
        stored.Validate().Select(e => e.Field).ShouldBe(["amount.value", "description", "returnUrl", "phoneNumber"], ignoreOrder: true);

        var step = new OrderPaymentWorkflow().Start(stored, Epoch);

        step.Actions.ShouldHaveSingleItem().ShouldBeOfType<CreatePayment>().PhoneNumber.ShouldBe("47123456");
    }

    private static PaymentRequest Start(Money amount, PaymentProvider provider = PaymentProvider.Vipps, string description = "Two books") =>
        new(Order, amount, description, UserFlow.WebRedirect, ReturnUrl, Provider: provider);

    private static string Fields(string returnUrl) =>
        string.Join(",", (Start(Nok(1000)) with { ReturnUrl = returnUrl }).Validate().Select(e => e.Field));

    private static PaymentRequest Push(string phone, PaymentProvider provider = PaymentProvider.Vipps) =>
        new(Order, Nok(1000), "Two books", UserFlow.PushMessage, PhoneNumber: phone, Provider: provider);
}

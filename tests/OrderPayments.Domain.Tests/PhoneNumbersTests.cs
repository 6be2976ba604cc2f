namespace OrderPayments.Domain.Tests;

public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("4791234567", "4791234567")]
    [InlineData("+4791234567", "4791234567")]
    [InlineData("+47 912 34 567", "4791234567")]
    [InlineData("  +47 91 23 45 67  ", "4791234567")]
    [InlineData("+47-912-34-567", "4791234567")]
    [InlineData("+47.912.34.567", "4791234567")]
    [InlineData("0047 912 34 567", "4791234567")]
    [InlineData("(+47) 91 23 45 67", "4791234567")]
    [InlineData("+47 (912) 34 567", "4791234567")]
    [InlineData("+44 (0)20 7946 0958", "442079460958")]
    [InlineData("0044 (0) 20 7946 0958", "442079460958")]
    [InlineData("+358 40 123 4567", "358401234567")]
    [InlineData("+45 12 34 56 78", "4512345678")]
    [InlineData("+1 (555) 123-4567", "15551234567")]
    [InlineData("+47\u00a0912\u00a034\u00a0567", "4791234567")]
    public void TryNormalize_CommonForm_GivesTheMsisdn(string text, string expected)
    {
        PhoneNumbers.TryNormalize(text, out var msisdn, out var error).ShouldBeTrue(error);

        msisdn.ShouldBe(expected);
        PhoneNumbers.IsMsisdn(msisdn).ShouldBeTrue();
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("+47 912 34 56a", "position 14 has 'a'")]
    [InlineData("phone me", "position 1 has 'p'")]
    [InlineData("+47 912 34 567 ext 2", "position 16 has 'e'")]
    [InlineData("47+91234567", "position 3 has '+'")]
    [InlineData("++4791234567", "position 2 has '+'")]
    [InlineData("+47 (912 34 567", "'(' without its ')'")]
    [InlineData("+47 912) 34 567", "position 8 has ')'")]
    [InlineData("91234567", "9 to 15 digits")] // a Norwegian number without its country code
    [InlineData("+47 1234", "9 to 15 digits")]
    [InlineData("+1 234 567 890 123 456", "9 to 15 digits")] // 16 digits: more than E.164 allows
    [InlineData("0412 345 678", "national number")]
    [InlineData("(0)412 345 678", "national number")]
    [InlineData("+0 412 345 678", "never starts with 0")]
    [InlineData("000 47 912 34 567", "never starts with 0")]
    [InlineData("+47 912 34 567 000 000 000 000 00", "at most 32 characters")]
    public void TryNormalize_NotAPhoneNumber_SaysWhy(string text, string reason)
    {
        PhoneNumbers.TryNormalize(text, out var msisdn, out var error).ShouldBeFalse();

        msisdn.ShouldBeNull();
        error.ShouldContain(reason);
    }

    [Theory]
    [InlineData("4791234567", true)]
    [InlineData("4712345678", true)]
    [InlineData("479123456", false)]
    [InlineData("47912345678", false)]
    [InlineData("4512345678", false)]
    public void IsNorwegian_Msisdn_IsTrueForFortySevenAndEightDigits(string msisdn, bool expected) =>
        PhoneNumbers.IsNorwegian(msisdn).ShouldBe(expected);
}

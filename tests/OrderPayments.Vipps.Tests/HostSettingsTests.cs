using OrderPayments.Application.Hosting;

namespace OrderPayments.Vipps.Tests;

/// <summary>The setting names the sample file and the infrastructure promise must be the options the client binds.</summary>
public sealed class HostSettingsTests
{
    [Fact]
    public void VippsKeys_AreTheSectionAndPropertiesOfVippsOptions()
    {
        HostSettings.VippsSection.ShouldBe(VippsOptions.SectionName);
        HostSettings.VippsKeys.ShouldBeSubsetOf(typeof(VippsOptions).GetProperties().Select(p => p.Name));
    }

    [Fact]
    public void VippsKeys_IncludeEverySettingWithoutADefault()
    {
        var required = new[] { nameof(VippsOptions.ClientId), nameof(VippsOptions.ClientSecret), nameof(VippsOptions.SubscriptionKey), nameof(VippsOptions.MerchantSerialNumber), nameof(VippsOptions.BaseUrl) };

        required.ShouldBeSubsetOf(HostSettings.VippsKeys);
    }
}

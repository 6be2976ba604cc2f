using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderPayments.Application.Notifications;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.PayEx.Tests;

public sealed class PayExNotificationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 1, TimeSpan.Zero);

    [Fact]
    public async Task Read_CallbackWithTheReference_IsAHintForThatPayment()
    {
        var read = await CreateSut().ReadAsync(Callback("order-7-0001", "/psp/vipps/payments/1/captures/9"), CancellationToken.None);

        var notification = read.Notifications.ShouldHaveSingleItem();
        notification.Input.ShouldBeOfType<ProviderNotified>().Reference.Value.ShouldBe("order-7-0001");
        notification.DedupeKey.ShouldBe("payex:order-7-0001:1772352000000", "the interval's start (08:00:00), not anything from the unsigned body");
    }

    [Fact]
    public async Task Read_DistinctTransactionIdsInOneInterval_ShareOneDedupeKey()
    {
        var time = new FakeTimeProvider(Now);
        var sut = CreateSut(time);
        var keys = new HashSet<string>();

        for (var i = 0; i < 300; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            keys.Add((await sut.ReadAsync(Callback("order-7-0001", $"/psp/vipps/payments/1/authorizations/{i}"), CancellationToken.None)).Notifications.ShouldHaveSingleItem().DedupeKey);
        }

        keys.ShouldHaveSingleItem("300 callbacks within 3 s of one 5 s interval are one hint");
    }

    [Fact]
    public async Task Read_TheNextInterval_GivesANewDedupeKey()
    {
        var time = new FakeTimeProvider(Now);
        var sut = CreateSut(time);
        var first = (await sut.ReadAsync(Callback("order-7-0001", "a"), CancellationToken.None)).Notifications[0].DedupeKey;

        time.Advance(WorkflowOptions.Default.MinHintQueryInterval);
        var next = (await sut.ReadAsync(Callback("order-7-0001", "a"), CancellationToken.None)).Notifications[0].DedupeKey;

        next.ShouldNotBe(first);
    }

    [Fact]
    public async Task Read_NoReference_IsUnreadable()
    {
        var read = await CreateSut().ReadAsync(NotificationDelivery.From([], Encoding.UTF8.GetBytes("{}")), CancellationToken.None);

        read.Refusal.ShouldNotBeNull();
        read.Unauthenticated.ShouldBeFalse();
        read.SourceNotAllowed.ShouldBeFalse();
    }

    [Theory]
    [InlineData("20.91.170.121")]
    [InlineData("::ffff:20.91.170.127")]
    [InlineData("91.132.170.1")]
    public async Task Read_FromAnAllowedSource_IsRead(string address)
    {
        var read = await CreateSut(allowed: ["20.91.170.120/29", "91.132.170.1"]).ReadAsync(Callback("order-7-0001", "a") with { RemoteAddress = IPAddress.Parse(address) }, CancellationToken.None);

        read.Refusal.ShouldBeNull();
        read.Notifications.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("20.91.170.128")]
    [InlineData("127.0.0.1")]
    [InlineData(null)]
    public async Task Read_FromOutsideTheAllowedSources_IsRefused(string? address)
    {
        var delivery = Callback("order-7-0001", "a") with { RemoteAddress = address is null ? null : IPAddress.Parse(address) };

        var read = await CreateSut(allowed: ["20.91.170.120/29"]).ReadAsync(delivery, CancellationToken.None);

        read.SourceNotAllowed.ShouldBeTrue();
        read.Refusal.ShouldNotBeNull();
        read.Notifications.ShouldBeEmpty();
    }

    [Fact]
    public async Task Read_NoAllowList_TakesAnySource()
    {
        var read = await CreateSut().ReadAsync(Callback("order-7-0001", "a") with { RemoteAddress = IPAddress.Parse("203.0.113.9") }, CancellationToken.None);

        read.Notifications.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("20.91.170.120/40")]
    [InlineData("payex.com")]
    [InlineData("")]
    public void Validate_AllowedSourceNotARange_NamesTheSetting(string source)
    {
        var options = new PayExOptions { AccessToken = "t", PayeeId = "p" };
        options.CallbackAllowedSources.Add(source);

        new PayExOptionsValidator().Validate(null, options).FailureMessage!.ShouldContain("PayEx:CallbackAllowedSources");
    }

    private static PayExNotifications CreateSut(TimeProvider? time = null, string[]? allowed = null)
    {
        var options = new PayExOptions();
        foreach (var source in allowed ?? [])
        {
            options.CallbackAllowedSources.Add(source);
        }

        return new PayExNotifications(time ?? new FakeTimeProvider(Now), Options.Create(WorkflowOptions.Default), Options.Create(options));
    }

    private static NotificationDelivery Callback(string reference, string transactionId) =>
        NotificationDelivery.From([], Encoding.UTF8.GetBytes($$$"""{"payment":{"id":"/psp/vipps/payments/1","number":1},"transaction":{"id":"{{{transactionId}}}","number":9}}""")) with
        {
            Query = new Dictionary<string, string> { ["reference"] = reference },
        };
}

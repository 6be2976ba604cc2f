using Microsoft.Extensions.Time.Testing;
using OrderPayments.Http;

namespace OrderPayments.Vipps.Tests.Http;

/// <summary>
/// The limiter the Vipps and PayEx pipelines share (<c>OrderPayments.Http</c>), on its own: the bounded map of references
/// and the counting under concurrent calls. (Its behaviour through a client is in <see cref="VippsRateLimitTests"/>.)
/// </summary>
public sealed class ProviderRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    private ProviderRateLimiter CreateSut(int mutations = 5, int queries = 120) =>
        new(new ProviderRateLimitOptions { MutationsPerMinute = mutations, QueriesPerMinute = queries }, _time);

    private static bool Take(ProviderRateLimiter sut, string reference, ProviderCallKind kind = ProviderCallKind.Mutation) =>
        sut.TryAcquire(reference, kind, out _, out _);

    [Fact]
    public async Task TryAcquire_100000ReferencesThenIdle_MapIsSweptDownToTheActiveOnes()
    {
        var sut = CreateSut();
        for (var n = 0; n < 100_000; n++)
        {
            Take(sut, $"order-{n}-1").ShouldBeTrue();
        }

        sut.TrackedReferences.ShouldBe(100_000);

        _time.Advance(TimeSpan.FromMinutes(2));
        Take(sut, "order-fresh-1").ShouldBeTrue();

        // The sweep this call started runs on the thread pool.
        await Eventually.Holds(() => sut.TrackedReferences == 1, "the idle references to be dropped");
    }

    [Fact]
    public void Sweep_ReferenceUsedWithinTheWindow_IsKept()
    {
        var sut = CreateSut();
        Take(sut, "order-1-1");
        _time.Advance(TimeSpan.FromSeconds(50));
        Take(sut, "order-2-1");
        _time.Advance(TimeSpan.FromSeconds(30));

        sut.Sweep();

        sut.TrackedReferences.ShouldBe(1, "order-1-1 idle for 80 s is dropped, order-2-1 idle for 30 s is kept");
    }

    [Fact]
    public void Sweep_PausedReference_IsKeptUntilThePauseEnds()
    {
        var sut = CreateSut();
        sut.Pause("order-1-1", ProviderCallKind.Mutation, TimeSpan.FromMinutes(10));
        _time.Advance(TimeSpan.FromMinutes(5));

        sut.Sweep();
        sut.TrackedReferences.ShouldBe(1);
        Take(sut, "order-1-1").ShouldBeFalse();

        _time.Advance(TimeSpan.FromMinutes(6));
        sut.Sweep();

        sut.TrackedReferences.ShouldBe(0);
        Take(sut, "order-1-1").ShouldBeTrue();
    }

    [Fact]
    public void TryAcquire_KindWithoutALimit_TracksNothingUntilPaused()
    {
        // PayEx: no documented limit, only the pause after a 429.
        var sut = CreateSut(mutations: 0, queries: 0);
        for (var n = 0; n < 1_000; n++)
        {
            Take(sut, "order-1-1").ShouldBeTrue();
        }

        sut.TrackedReferences.ShouldBe(0);

        sut.Pause("order-1-1", ProviderCallKind.Query, TimeSpan.FromSeconds(20));

        sut.TryAcquire("order-1-1", ProviderCallKind.Query, out var wait, out var paused).ShouldBeFalse();
        wait.ShouldBe(TimeSpan.FromSeconds(20));
        paused.ShouldBeTrue();
        Take(sut, "order-1-1", ProviderCallKind.Mutation).ShouldBeTrue();
        Take(sut, "order-2-1", ProviderCallKind.Query).ShouldBeTrue();
    }

    [Fact]
    public void Pause_ShorterThanOneAlreadySet_KeepsTheLonger()
    {
        var sut = CreateSut();
        sut.Pause("order-1-1", ProviderCallKind.Mutation, TimeSpan.FromSeconds(90));

        sut.Pause("order-1-1", ProviderCallKind.Mutation, TimeSpan.FromSeconds(5));

        sut.TryAcquire("order-1-1", ProviderCallKind.Mutation, out var wait, out _).ShouldBeFalse();
        wait.ShouldBe(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task TryAcquire_ConcurrentCallsForOneReference_TakeExactlyTheLimit()
    {
        var sut = CreateSut(mutations: 5);
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return Take(sut, "order-1-1");
        })).ToList();

        start.Set();
        var taken = await Task.WhenAll(calls);

        taken.Count(t => t).ShouldBe(5);
    }
}

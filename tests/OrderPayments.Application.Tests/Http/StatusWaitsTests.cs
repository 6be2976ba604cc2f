using OrderPayments.Application.Http;

namespace OrderPayments.Application.Tests.Http;

/// <summary>Issue 27: the bound on long polls: places are taken up to the capacity, refused past it, and given back.</summary>
public sealed class StatusWaitsTests
{
    [Fact]
    public void TryEnter_UpToTheCapacity_TakesAPlaceThenRefuses()
    {
        var sut = new StatusWaits(2, TimeProvider.System);

        sut.TryEnter().ShouldBeTrue();
        sut.TryEnter().ShouldBeTrue();
        sut.TryEnter().ShouldBeFalse();
        sut.Waiting.ShouldBe(2);
    }

    [Fact]
    public void Leave_AfterTheBoundWasReached_LetsTheNextIn()
    {
        var sut = new StatusWaits(1, TimeProvider.System);
        sut.TryEnter().ShouldBeTrue();
        sut.TryEnter().ShouldBeFalse();

        sut.Leave();

        sut.TryEnter().ShouldBeTrue();
    }

    [Fact]
    public async Task TryEnter_ManyAtOnce_NeverTakesMoreThanTheCapacity()
    {
        var sut = new StatusWaits(100, TimeProvider.System);

        var taken = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(sut.TryEnter)));

        taken.Count(t => t).ShouldBe(100);
        sut.Waiting.ShouldBe(100);
    }
}

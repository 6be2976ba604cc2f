using OrderPayments.Application.Hosting;

namespace OrderPayments.Application.Tests.Hosting;

/// <summary>An initialization that failed is tried again, never remembered as failed (issue 24, item 5).</summary>
public sealed class InitializerTests
{
    [Fact]
    public async Task Ensure_FirstAttemptFailed_TriesAgainAndThenNeverAgain()
    {
        var attempts = 0;
        var sut = new Initializer(() => ++attempts == 1 ? Task.FromException(new IOException("storage out of reach")) : Task.CompletedTask);

        await Should.ThrowAsync<IOException>(() => sut.EnsureAsync(CancellationToken.None));
        await sut.EnsureAsync(CancellationToken.None);
        await sut.EnsureAsync(CancellationToken.None);

        attempts.ShouldBe(2);
    }

    [Fact]
    public async Task Ensure_InitializationThrowsBeforeItsTask_IsAFailedAttemptTriedAgain()
    {
        var attempts = 0;
        var sut = new Initializer(() => ++attempts == 1 ? throw new InvalidOperationException("not yet") : Task.CompletedTask);

        await Should.ThrowAsync<InvalidOperationException>(() => sut.EnsureAsync(CancellationToken.None));
        await sut.EnsureAsync(CancellationToken.None);

        attempts.ShouldBe(2);
    }
}

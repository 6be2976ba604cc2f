namespace OrderPayments.Runtime.Dispatching;

/// <summary>Wakes the dispatcher when there is new work (a signal, a start, an activity result). Set many times, wakes once.</summary>
internal sealed class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: one wake-up covers all the work.
        }
    }

    /// <summary>
    /// Waits until <see cref="Set"/>, until <paramref name="timeout"/> passes on <paramref name="time"/>'s clock (the next
    /// wake-up or retry), or until <paramref name="poll"/> passes on the wall clock (work other processes may have written).
    /// </summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, TimeSpan poll, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _semaphore.WaitAsync(stop.Token);
        var due = Task.Delay(timeout, time, stop.Token);
        var polled = Task.Delay(poll, TimeProvider.System, stop.Token);
        await Task.WhenAny(signalled, due, polled).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(signalled, due, polled).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The losers of the race were cancelled.
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _semaphore.Dispose();
}

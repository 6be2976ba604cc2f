namespace OrderPayments.Runtime.Dispatching;

/// <summary>Wakes the dispatcher when there is new work (a signal, a start, an activity result). Set many times, wakes once.</summary>
/// <remarks>
/// Setting costs an interlocked exchange when already set (no exception, no wake-up): under load it is set thousands
/// of times a second. The waiter clears the flag once woken and before it looks for work, so work queued by a setter
/// that found the flag set is seen by that look.
/// </remarks>
internal sealed class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private int _set;

    public void Set()
    {
        if (Interlocked.Exchange(ref _set, 1) == 0)
        {
            _semaphore.Release();
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
        // The losers of the race end cancelled: wait for them without throwing (an exception per wake-up costs more than the wait).
        await Task.WhenAll(signalled, due, polled).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (signalled.IsCompletedSuccessfully)
        {
            Interlocked.Exchange(ref _set, 0);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// <see cref="WaitAsync"/> for a thread of its own (the dispatcher's): on the system clock it blocks that thread, and
    /// <see cref="Set"/> wakes it directly rather than through a pool work item; on another clock (tests) it waits for
    /// <see cref="WaitAsync"/>.
    /// </summary>
    public void Wait(TimeSpan timeout, TimeProvider time, TimeSpan poll, CancellationToken cancellationToken)
    {
        if (time != TimeProvider.System)
        {
            WaitAsync(timeout, time, poll, cancellationToken).GetAwaiter().GetResult();
            return;
        }

        if (_semaphore.Wait(timeout < poll ? timeout : poll, cancellationToken))
        {
            Interlocked.Exchange(ref _set, 0);
        }
    }

    public void Dispose() => _semaphore.Dispose();
}

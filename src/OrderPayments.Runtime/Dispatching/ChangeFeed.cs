using System.Collections.Concurrent;

namespace OrderPayments.Runtime.Dispatching;

/// <summary>
/// Tells waiters in this process that an order's committed state changed, so they need not poll the file.
/// Per order: a commit wakes only the waiters of the orders it wrote.
/// </summary>
internal sealed class ChangeFeed
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>Completes at the next commit that writes the order.</summary>
    public Task Next(string orderId) =>
        _waiters.GetOrAdd(orderId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes the waiters of the orders just committed.</summary>
    public void Publish(IEnumerable<string> orderIds)
    {
        if (_waiters.IsEmpty)
        {
            return;
        }

        foreach (var id in orderIds)
        {
            if (_waiters.TryRemove(id, out var waiter))
            {
                waiter.TrySetResult();
            }
        }
    }
}

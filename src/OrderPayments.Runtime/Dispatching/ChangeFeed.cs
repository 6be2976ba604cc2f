namespace OrderPayments.Runtime.Dispatching;

/// <summary>Tells waiters in this process that committed state changed, so they need not poll the file.</summary>
internal sealed class ChangeFeed
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next commit.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Publish() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

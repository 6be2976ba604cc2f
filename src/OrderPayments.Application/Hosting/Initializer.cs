namespace OrderPayments.Application.Hosting;

/// <summary>
/// Runs an initialization (create a table, configure endpoints) until it has succeeded once. Concurrent callers share
/// the attempt in progress; a failed or cancelled attempt is not remembered, so the next caller tries again (a storage
/// account that was out of reach at start does not leave the process broken for its life).
/// </summary>
public sealed class Initializer
{
    private readonly Func<Task> _initialize;
    private readonly Lock _lock = new();
    private Task? _attempt;

    /// <summary>Creates the initializer; <paramref name="initialize"/> runs on first need (and again after a failure).</summary>
    public Initializer(Func<Task> initialize) => _initialize = initialize;

    /// <summary>Completes once the initialization has succeeded; throws what the current attempt threw.</summary>
    /// <param name="cancellationToken">Stops waiting (the attempt goes on for the callers after).</param>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        Task attempt;
        lock (_lock)
        {
            if (_attempt is null || _attempt.IsFaulted || _attempt.IsCanceled)
            {
                _attempt = Start();
            }

            attempt = _attempt;
        }

        return attempt.IsCompletedSuccessfully ? Task.CompletedTask : attempt.WaitAsync(cancellationToken);
    }

    private Task Start()
    {
        try
        {
            return _initialize();
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }
}

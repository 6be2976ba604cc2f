namespace OrderPayments.Application.Http;

/// <summary>
/// The long polls of one process (<c>GET …/payment?waitForChange=</c>): how many status reads may wait for a change at
/// once, and the clock their timeouts run on. Past the bound a long poll is answered 503 with <c>Retry-After</c> at once
/// rather than queued, so waiting readers never grow without bound. A host keeps one for its life and hands it to its
/// <see cref="OrderPaymentRequests"/>. Thread-safe.
/// </summary>
public sealed class StatusWaits
{
    /// <summary>The default bound on waiting reads per process.</summary>
    public const int DefaultCapacity = 1000;

    /// <summary>The longest a long poll waits (its <c>timeout</c> at most, and when none is given).</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    /// <summary>What a refused long poll is told to wait before it asks again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private int _waiting;

    /// <summary>Creates the bound.</summary>
    /// <param name="capacity">How many reads may wait at once (at least 1).</param>
    /// <param name="time">The clock the waits' timeouts run on.</param>
    public StatusWaits(int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(time);
        Capacity = capacity;
        Time = time;
    }

    /// <summary>How many reads may wait at once.</summary>
    public int Capacity { get; }

    /// <summary>The clock the waits' timeouts run on.</summary>
    public TimeProvider Time { get; }

    /// <summary>How many reads wait now (each with its timeout already running on <see cref="Time"/>).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Takes a place; false (and nothing taken) when all are taken. Give a place taken back with <see cref="Leave"/>.</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var waiting = Volatile.Read(ref _waiting);
            if (waiting >= Capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _waiting, waiting + 1, waiting) == waiting)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a place taken with <see cref="TryEnter"/>.</summary>
    public void Leave() => Interlocked.Decrement(ref _waiting);
}

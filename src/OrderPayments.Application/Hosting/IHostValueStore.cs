namespace OrderPayments.Application.Hosting;

/// <summary>
/// Small durable values a host keeps beside its orders (the registered webhook's id and secret), so a restart
/// reuses them instead of registering again. The embedded runtime keeps them in its SQLite file.
/// </summary>
public interface IHostValueStore
{
    /// <summary>The value, or null when none was set.</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Sets (or replaces) the value durably.</summary>
    Task SetAsync(string name, string value, CancellationToken cancellationToken);
}

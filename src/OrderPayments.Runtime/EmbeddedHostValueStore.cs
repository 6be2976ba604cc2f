using OrderPayments.Application.Hosting;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime;

/// <summary>Host values in the runtime's SQLite file (table <c>host_values</c>).</summary>
public sealed class EmbeddedHostValueStore : IHostValueStore
{
    private readonly RuntimeStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over the runtime's file.</summary>
    public EmbeddedHostValueStore(RuntimeStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <inheritdoc />
    public Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        using var session = StoreSession.Read(_store);
        return Task.FromResult(session.HostValue(name));
    }

    /// <inheritdoc />
    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        using var session = await StoreSession.WriteAsync(_store, cancellationToken).ConfigureAwait(false);
        session.SetHostValue(name, value, _time.GetUtcNow());
        session.Commit();
    }
}

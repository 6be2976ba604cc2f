using System.Data;
using Microsoft.Extensions.Options;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Tests.Storage;

/// <summary>The store's own pool: sessions reuse open connections and their prepared statements; disposal closes them.</summary>
public sealed class ConnectionPoolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderpayments-pool-").FullName;

    private RuntimeStore Store() => new(Options.Create(new RuntimeOptions { DatabasePath = Path.Combine(_folder, "orders.db") }));

    [Fact]
    public void Session_AfterAnEarlierOneEnded_ReusesItsConnectionAndPreparedStatements()
    {
        using var store = Store();
        using (var session = StoreSession.Read(store))
        {
            session.HostValue("name").ShouldBeNull();
        }

        var reused = store.Rent();

        reused.Commands.ShouldContainKey("SELECT value FROM host_values WHERE name = $name");
        reused.Connection.State.ShouldBe(ConnectionState.Open);
        store.Return(reused);
    }

    [Fact]
    public void WriteSession_DisposedWithoutCommit_RollsBackAndTheConnectionServesTheNextSession()
    {
        using var store = Store();
        var now = TimeProvider.System.GetUtcNow();
        using (var abandoned = StoreSession.Write(store))
        {
            abandoned.SetHostValue("name", "not committed", now);
        }

        using (var write = StoreSession.Write(store))
        {
            write.SetHostValue("other", "committed", now);
            write.Commit();
        }

        using var read = StoreSession.Read(store);
        read.HostValue("name").ShouldBeNull();
        read.HostValue("other").ShouldBe("committed");
    }

    [Fact]
    public void Dispose_ConnectionsKeptOpen_AreClosed()
    {
        var store = Store();
        using (var session = StoreSession.Read(store))
        {
            session.HostValue("name").ShouldBeNull();
        }

        var kept = store.Rent();
        store.Return(kept);

        store.Dispose();

        kept.Connection.State.ShouldBe(ConnectionState.Closed);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

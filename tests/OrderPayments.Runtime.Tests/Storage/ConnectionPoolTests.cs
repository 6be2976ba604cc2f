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
    public async Task WriteSession_DisposedWithoutCommit_RollsBackAndTheConnectionServesTheNextSession()
    {
        using var store = Store();
        var now = TimeProvider.System.GetUtcNow();
        using (var abandoned = await StoreSession.WriteAsync(store))
        {
            abandoned.SetHostValue("name", "not committed", now);
        }

        using (var write = await StoreSession.WriteAsync(store))
        {
            write.SetHostValue("other", "committed", now);
            write.Commit();
        }

        using var read = StoreSession.Read(store);
        read.HostValue("name").ShouldBeNull();
        read.HostValue("other").ShouldBe("committed");
    }

    [Fact]
    public async Task WriteSession_AfterReadSessionsInBetween_GetsTheWriterConnectionBack()
    {
        using var store = Store();
        using (var write = await StoreSession.WriteAsync(store))
        {
            write.SetHostValue("name", "value", TimeProvider.System.GetUtcNow());
            write.Commit();
        }

        using (var read = StoreSession.Read(store))
        {
            read.HostValue("name").ShouldBe("value");
        }

        // The writer keeps its page cache because no other connection of this process commits; a read never takes it.
        var writer = store.Rent(write: true);

        writer.Commands.Keys.ShouldContain(sql => sql.StartsWith("INSERT INTO host_values", StringComparison.Ordinal));
        writer.Commands.ShouldNotContainKey("SELECT value FROM host_values WHERE name = $name");
        store.Return(writer, write: true);
    }

    [Fact]
    public void Open_AnyConnection_KeepsStatementJournalsInMemory()
    {
        using var store = Store();
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA temp_store";

        // 2 = MEMORY: a batch's savepoint journal never spills to a temporary file (a file and ~130 writes per order).
        command.ExecuteScalar().ShouldBe(2L);
    }

    [Fact]
    public async Task Dispose_WriterConnectionKeptOpen_IsClosed()
    {
        var store = Store();
        using (var write = await StoreSession.WriteAsync(store))
        {
            write.Commit();
        }

        var writer = store.Rent(write: true);
        store.Return(writer, write: true);

        store.Dispose();

        writer.Connection.State.ShouldBe(ConnectionState.Closed);
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

using Microsoft.Extensions.Options;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Tests.Storage;

/// <summary>
/// Issue 27: no thread waits on the store. A write session waits for this process's other write session
/// asynchronously: the caller gets a pending task back at once (a blocking wait would hold the test's thread, and the
/// test would never reach its next line), and the writers are let in one at a time, in turn, once the session ends.
/// </summary>
public sealed class WriteGateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderpayments-gate-").FullName;

    private RuntimeStore Store() => new(Options.Create(new RuntimeOptions { DatabasePath = Path.Combine(_folder, "orders.db") }));

    [Fact]
    public async Task WriteAsync_AnotherSessionWrites_ReturnsAPendingTaskWithoutHoldingTheCaller()
    {
        using var store = Store();
        var holder = await StoreSession.WriteAsync(store);
        var threads = Environment.CurrentManagedThreadId;

        var waiting = Enumerable.Range(0, 200).Select(_ => StoreSession.WriteAsync(store).AsTask()).ToList();

        Environment.CurrentManagedThreadId.ShouldBe(threads);
        waiting.ShouldAllBe(w => !w.IsCompleted);
        holder.Dispose();
        for (var i = 0; i < waiting.Count; i++)
        {
            using var session = await waiting[i].WaitAsync(TimeSpan.FromSeconds(30));
            session.SetHostValue($"writer-{i}", "ran", TimeProvider.System.GetUtcNow());
            session.Commit();
        }

        using var read = StoreSession.Read(store);
        read.HostValue("writer-199").ShouldBe("ran");
    }

    [Fact]
    public async Task WriteAsync_CancelledWhileWaiting_ThrowsAndTheNextWriterGetsIn()
    {
        using var store = Store();
        var holder = await StoreSession.WriteAsync(store);
        using var cancel = new CancellationTokenSource();
        var cancelled = StoreSession.WriteAsync(store, cancel.Token).AsTask();
        var next = StoreSession.WriteAsync(store).AsTask();

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => cancelled);
        holder.Dispose();

        using var session = await next.WaitAsync(TimeSpan.FromSeconds(30));
        session.ShouldNotBeNull();
    }

    [Fact]
    public async Task ClientWrite_WithoutADispatcherWhileAnotherSessionWrites_WaitsWithoutHoldingTheCallerThenCommits()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        var store = host.Get<RuntimeStore>();
        var holder = await StoreSession.WriteAsync(store);

        var started = host.Client.StartAsync(RuntimeTestHost.Request("gate-1"), CancellationToken.None);

        started.IsCompleted.ShouldBeFalse("the group commit waits for the file's write gate without a thread");
        holder.Dispose();
        (await started.WaitAsync(TimeSpan.FromSeconds(30))).Result.ShouldBe(Application.Workflows.StartResult.Started);
    }

    [Fact]
    public async Task Write_OnAPoolThread_ThrowsWithoutTakingTheGate()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        var store = host.Get<RuntimeStore>();

        var thrown = await Task.Run(() => Should.Throw<InvalidOperationException>(() => StoreSession.Write(store, CancellationToken.None)));

        thrown.Message.ShouldContain("WriteAsync");
        store.WriteGate.CurrentCount.ShouldBe(1);
    }

    [Fact]
    public async Task Write_OnItsOwnThreadWhileAnotherSessionWrites_WaitsThenTakesTheGate()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        var store = host.Get<RuntimeStore>();
        var holder = await StoreSession.WriteAsync(store);
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            using var session = StoreSession.Write(store, CancellationToken.None);
            taken.SetResult();
        });

        thread.Start();
        (await Task.WhenAny(taken.Task, Task.Delay(200))).ShouldNotBe(taken.Task, "the gate is held");
        holder.Dispose();
        await taken.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

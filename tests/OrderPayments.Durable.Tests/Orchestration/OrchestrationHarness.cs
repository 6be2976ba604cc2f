using System.Text.Json;
using Microsoft.DurableTask;
using Moq;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;
using OrderPayments.Durable.Signals;

namespace OrderPayments.Durable.Tests.Orchestration;

/// <summary>
/// Drives <see cref="OrderPaymentOrchestration.RunAsync"/> with a Moq mock of <see cref="TaskOrchestrationContext"/>
/// (what our code asks of the SDK; the engine tests show what the engine does with it). Provider-call activities answer
/// from <see cref="Provider"/> (null: a transient failure); the sync activity plays the order's tables: the inbox
/// (<see cref="Signal"/> records a signal once per key and rings the doorbell with it, unless <see cref="LoseRings"/>),
/// the outcomes recorded, the events and the saved states. Time passes only while the orchestration waits: then the
/// earliest durable timer fires, moving the orchestration clock to its time (or <see cref="TimerEarliness"/> before it,
/// as the Azure Storage backend may).
/// </summary>
internal sealed class OrchestrationHarness
{
    public static readonly DateTime Start = new(2026, 6, 1, 9, 0, 0, DateTimeKind.Utc);

    private readonly Mock<TaskOrchestrationContext> _context = new();
    private readonly Queue<string> _rings = new();
    private readonly List<(long Sequence, string Key, WorkflowInput Signal, bool Applied)> _inbox = [];
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private TaskCompletionSource<string>? _waiting;
    private readonly List<(DateTime FireAt, TaskCompletionSource Fired)> _armed = [];

    public OrchestrationHarness(PaymentRequest request, ActivityRetryOptions? retries = null)
    {
        Request = request;
        Retries = new ActivityRetryPolicy(retries ?? new ActivityRetryOptions(), TimeProvider.System);
        _context.SetupGet(c => c.InstanceId).Returns(request.OrderId.Value);
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        _context.Setup(c => c.GetInput<string>()).Returns(() => Input);
        _context
            .Setup(c => c.CallActivityAsync<string>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName name, object? input, TaskOptions? _) => Task.FromResult(Answer(name.Name, (string)input!)));
        _context
            .Setup(c => c.WaitForExternalEvent<string>(OrchestrationNames.SignalEvent, It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                if (_rings.TryDequeue(out var ring))
                {
                    Rung++;
                    return Task.FromResult(ring);
                }

                _waiting = new TaskCompletionSource<string>();
                return _waiting.Task;
            });
        _context
            .Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime fireAt, CancellationToken cancel) =>
            {
                // Armed now, fired when the orchestration waits and it is the earliest (see RunAsync).
                Timers.Add(fireAt);
                var fired = new TaskCompletionSource();
                _armed.Add((fireAt, fired));
                cancel.Register(() => _armed.RemoveAll(t => t.Fired == fired));
                return fired.Task;
            });
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback((object? status) =>
        {
            StatusChars.Add(JsonSerializer.Serialize((string)status!).Length);
            Statuses.Add(PublishedStatus.FromJson((string)status!));
        });
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object>(), It.IsAny<bool>())).Callback((object input, bool _) =>
        {
            ContinuedWith = (string)input;
            // Events not taken are dropped with the generation (preserveUnprocessedEvents: false).
            _rings.Clear();
            _waiting = null;
        });
        Input = new OrchestratorInput(request, null).ToJson();
    }

    public PaymentRequest Request { get; }

    public ActivityRetryPolicy Retries { get; }

    public TaskOrchestrationContext Context => _context.Object;

    public DateTime Now { get; set; } = Start;

    public string Input { get; set; }

    /// <summary>Record signals without ringing the doorbell (a doorbell the engine lost): only a drain finds them.</summary>
    public bool LoseRings { get; set; }

    /// <summary>
    /// Completions to hand out instead of the next scheduled activity's own answer, by activity name: what the engine does
    /// after a worker died mid-episode and the episode ran again (another request's completion under the task's number).
    /// The activity itself does not run for it.
    /// </summary>
    public Dictionary<string, Queue<string>> Misdelivered { get; } = [];

    /// <summary>How many of the next timers complete at once, without time moving on (another task's completion under the timer's number).</summary>
    public int MisfiredTimers { get; set; }

    /// <summary>Outcomes the syncs recorded, in order.</summary>
    public List<AppliedSignal> Recorded { get; } = [];

    /// <summary>States the syncs saved, by version.</summary>
    public List<long> SavedVersions { get; } = [];

    /// <summary>How long before its time a durable timer fires (the Azure Storage backend fires up to about 1 s early).</summary>
    public TimeSpan TimerEarliness { get; set; } = TimeSpan.Zero;

    /// <summary>Whether the inbox was closed (the order ended with nothing left to apply).</summary>
    public bool Closed { get; private set; }

    /// <summary>What each provider call answers (by activity name) for its action and attempt (from 1); null is a transient failure.</summary>
    public Func<string, WorkflowAction, int, WorkflowInput?> Provider { get; set; } = (_, action, _) => new ActivitySucceeded(action.Key);

    /// <summary>Told of every provider call (activity, action, attempt) before it answers: a test sends signals "during" calls.</summary>
    public Action<string, WorkflowAction, int>? OnCall { get; set; }

    /// <summary>The provider-call activities scheduled, in order (every attempt).</summary>
    public List<string> Calls { get; } = [];

    /// <summary>The sync activities scheduled.</summary>
    public List<SyncRequest> Syncs { get; } = [];

    public List<DateTime> Timers { get; } = [];

    public List<PublishedStatus> Statuses { get; } = [];

    /// <summary>The characters each published status takes as the framework stores it.</summary>
    public List<int> StatusChars { get; } = [];

    public string? ContinuedWith { get; private set; }

    /// <summary>Signals recorded and not applied (by the last sync's knowledge).</summary>
    public int Pending => _inbox.Count(s => !s.Applied);

    /// <summary>History-making steps of the last run: provider calls, syncs, timers and doorbells taken (those the harness handed out).</summary>
    public int Steps => Calls.Count + Syncs.Count + Timers.Count + Rung;

    /// <summary>Doorbells handed to the orchestration.</summary>
    public int Rung { get; private set; }

    /// <summary>
    /// Runs one generation. Every activity answers at once and a doorbell rings when a signal is there, so the
    /// orchestration only really waits for timers: whenever it waits, time moves on to the earliest armed timer (less
    /// <see cref="TimerEarliness"/>), which fires, and the orchestration runs on until it waits again. Off the test's
    /// synchronization context, so each firing runs the orchestration inline, one step at a time.
    /// </summary>
    /// <exception cref="InvalidOperationException">The orchestration waits with no timer armed and no doorbell to ring: it would wait for ever.</exception>
    public Task<string> RunAsync() => Task.Run(async () =>
    {
        var run = OrderPaymentOrchestration.RunAsync(Context, new OrderPaymentWorkflow(new WorkflowOptions()), Retries);
        while (!run.IsCompleted)
        {
            if (_armed.Count == 0)
            {
                throw new InvalidOperationException("The orchestration waits with no timer armed and no doorbell to ring.");
            }

            var (fireAt, fired) = _armed.MinBy(t => t.FireAt);
            _armed.RemoveAll(t => t.Fired == fired);
            if (MisfiredTimers > 0)
            {
                // Completed now, long before its time: another task's completion under the timer's number.
                MisfiredTimers--;
                fired.SetResult();
                continue;
            }

            var firedAt = fireAt - TimerEarliness;
            Now = firedAt > Now ? firedAt : Now;
            fired.SetResult();
        }

        _armed.Clear();
        return await run;
    });

    /// <summary>
    /// Runs generation after generation (each continued-as-new input fed to the next) until the orchestration ends or
    /// <paramref name="maxGenerations"/> ran; tells <paramref name="generation"/> the steps each took.
    /// </summary>
    public async Task<string> RunToEndAsync(int maxGenerations, Action<int>? generation = null)
    {
        for (var i = 0; i < maxGenerations; i++)
        {
            var before = Steps;
            ContinuedWith = null;
            var outcome = await RunAsync();
            generation?.Invoke(Steps - before);
            if (outcome != "ContinuedAsNew")
            {
                return outcome;
            }

            Input = ContinuedWith!;
        }

        return "ContinuedAsNew";
    }

    /// <summary>Records a signal in the inbox (once per key) and rings the doorbell with it, as the workflow client does.</summary>
    public void Signal(WorkflowInput input, string key)
    {
        if (_inbox.Exists(s => s.Key == key))
        {
            return;
        }

        var sequence = _inbox.Count + 1L;
        _inbox.Add((sequence, key, input, false));
        if (!LoseRings)
        {
            var ring = new Doorbell(sequence, key, input).ToJson();
            if (_waiting is { } waiting && !waiting.Task.IsCompleted)
            {
                // The orchestration waits for a doorbell: this one ends the wait.
                Rung++;
                waiting.SetResult(ring);
            }
            else
            {
                _rings.Enqueue(ring);
            }
        }
    }

    public PaymentObservation Observation(PaymentReference reference, ProviderPaymentState state, long authorized = 0, long captured = 0, long cancelled = 0)
    {
        var currency = Request.Amount.Currency;
        return new(reference, state, new PaymentAggregate(new Money(authorized, currency), new Money(captured, currency), new Money(cancelled, currency), Money.Zero(currency)));
    }

    public static Money Nok(long value) => new(value, Currency.NOK);

    public static PaymentRequest Order(string id = "order-1", long amount = 1000) =>
        new(OrderId.Parse(id), Nok(amount), "Functions test", UserFlow.WebRedirect, "https://shop.example/return");

    private string Answer(string activity, string requestJson)
    {
        if (Misdelivered.TryGetValue(activity, out var queued) && queued.TryDequeue(out var misdelivered))
        {
            return misdelivered;
        }

        if (activity == OrchestrationNames.SyncOrder)
        {
            return (Sync(SyncRequest.FromJson(requestJson)) with { For = ActivityAnswer.Fingerprint(requestJson) }).ToJson();
        }

        var request = ActivityRequest.FromJson(requestJson);
        Calls.Add(activity);
        var attempt = _attempts[request.Action.Key.Value] = _attempts.GetValueOrDefault(request.Action.Key.Value) + 1;
        OnCall?.Invoke(activity, request.Action, attempt);
        var answer = Provider(activity, request.Action, attempt);
        return new ActivityAnswer(ActivityAnswer.Fingerprint(requestJson), answer is null ? new AttemptOutcome(null, "503 from the provider") : new AttemptOutcome(answer)).ToJson();
    }

    private SyncResult Sync(SyncRequest request)
    {
        Closed.ShouldBeFalse("nothing syncs a closed inbox");
        Syncs.Add(request);
        Recorded.AddRange(request.Applied);
        foreach (var applied in request.Applied)
        {
            var index = _inbox.FindIndex(s => s.Key == applied.DedupeKey);
            _inbox[index] = _inbox[index] with { Applied = true };
        }

        if (request.Order is { } order)
        {
            SavedVersions.Add(order.Version);
        }

        if (!request.Drain && !request.Close)
        {
            return new SyncResult([]);
        }

        var pending = _inbox.Where(s => !s.Applied && s.Sequence > request.AfterSequence).ToList();
        if (request.Close && pending.Count == 0)
        {
            Closed = true;
            return new SyncResult([], Closed: true);
        }

        return new SyncResult(
            [.. pending.Take(SyncResult.MaxSignals).Select(s => new InboxSignal(s.Sequence, s.Key, s.Signal))],
            More: pending.Count > SyncResult.MaxSignals);
    }
}

using Microsoft.DurableTask;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Storefront;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Notifications;
using OrderPayments.Durable.Signals;

namespace OrderPayments.Durable.Orchestration;

/// <summary>One generation of an order's orchestration (between two <c>ContinueAsNew</c>): the event loop of <see cref="OrderPaymentOrchestration"/>.</summary>
internal sealed class OrderPaymentGeneration
{
    private readonly TaskOrchestrationContext _context;
    private readonly OrderPaymentWorkflow _workflow;
    private readonly ActivityRetryPolicy _retries;
    private readonly bool _notify;
    private readonly int _generation;

    /// <summary>Calls the workflow asked for that are not in flight: new, or waiting for their next attempt.</summary>
    private readonly List<PendingCall> _waiting = [];

    /// <summary>Calls in flight, by their activity's task, with the fingerprint of the request sent (its answer must name it).</summary>
    private readonly Dictionary<Task<string>, (PendingCall Call, string For)> _inFlight = [];

    /// <summary>Outcomes of applied signals and storefront events not yet handed to a sync.</summary>
    private readonly List<AppliedSignal> _applied;
    private readonly List<SequencedEvent> _events;

    private OrderPaymentState _state;
    private long _version;
    private DateTimeOffset _updatedAt;
    private DateTimeOffset _now;
    private long _savedVersion;
    private (long Version, long Sequence) _published = (-1, -1);
    private long _lastSequence;
    private string? _orderETag;
    private int _steps;
    private int? _unsyncedSince;
    private bool _drainDue;
    private bool _closed;
    private bool _publishHeld;
    private DateTimeOffset? _wokenFor;

    private Task<string>? _sync;
    private SyncRequest? _syncRequest;
    private string? _syncFor;
    private int _syncFailures;
    private DateTimeOffset? _syncDueAt;

    private Task<string>? _doorbell;
    private (Task Task, DateTimeOffset Due, CancellationTokenSource Cancel)? _timer;

    public OrderPaymentGeneration(TaskOrchestrationContext context, OrderPaymentWorkflow workflow, ActivityRetryPolicy retries, OrchestratorInput input)
    {
        _context = context;
        _workflow = workflow;
        _retries = retries;
        _notify = input.Notify;
        _generation = input.Generation;
        _applied = [.. input.Applied ?? []];
        _events = [.. input.Events ?? []];
        _version = input.Version;
        _savedVersion = input.SavedVersion;
        _lastSequence = input.LastSequence;
        _orderETag = input.OrderETag;
        _now = Now();
        if (input.State is { } carried)
        {
            _state = carried;
            _updatedAt = input.UpdatedAt ?? _now;
            // Calls carried with their attempts; an input from before they were carried re-issues the state's calls in
            // flight (safe: the same keys).
            _waiting.AddRange(input.Calls ?? [.. carried.InFlight.Select(action => new PendingCall(action))]);
            // A later generation: a doorbell the previous one did not take rang for a signal that is in the inbox.
            _drainDue = true;
        }
        else
        {
            var start = workflow.Start(input.Request ?? throw new InvalidOperationException("The first generation needs the request."), _now, input.By);
            _state = start.State;
            _updatedAt = _now;
            _waiting.AddRange(start.Actions.Select(action => new PendingCall(action)));
            _version = OrderVersions.Started;
            // The client saved the started order before it scheduled this orchestration; no signal can precede its doorbell.
            _savedVersion = Math.Max(_savedVersion, OrderVersions.Started);
        }
    }

    private string OrderId => _state.OrderId.Value;

    private bool WindingDown => _steps >= OrderPaymentOrchestration.MaxStepsPerGeneration;

    public async Task<string> RunAsync()
    {
        while (true)
        {
            if (!WindingDown)
            {
                if (_state.WakeAt is { } wakeAt && wakeAt <= Now() && wakeAt != _wokenFor)
                {
                    // Once per wake-up time: a workflow that keeps the same time after it was woken is not woken again for it.
                    _wokenFor = wakeAt;
                    Decide(new WokenUp());
                }

                StartDueCalls();
                Publish();
                StartSyncIfDue();
            }

            Publish();
            if (_inFlight.Count == 0 && _sync is null)
            {
                if (_closed)
                {
                    CancelTimer();
                    return _state.Status.ToString();
                }

                if (WindingDown)
                {
                    // Nothing rides on the events: what is not durable elsewhere travels in the input, signals stay in the inbox.
                    CancelTimer();
                    _context.ContinueAsNew(CarriedInput().ToJson(), preserveUnprocessedEvents: false);
                    return "ContinuedAsNew";
                }
            }

            var waits = new List<Task>(_inFlight.Keys);
            if (_sync is not null)
            {
                waits.Add(_sync);
            }

            if (!WindingDown)
            {
                // The doorbell wait survives whatever wins: cancelling a wait could swallow a later event.
                _doorbell ??= _context.WaitForExternalEvent<string>(OrchestrationNames.SignalEvent);
                waits.Add(_doorbell);
                if (Timer() is { } timer)
                {
                    waits.Add(timer);
                }
            }

            var done = await Task.WhenAny(waits);
            if (done == _timer?.Task)
            {
                // A timer that fired means its time has come, even when the backend fired it a little early; far too
                // early, it was another task's completion under the timer's number (see ActivityAnswer), and the time
                // is armed again.
                if (Now() >= _timer.Value.Due - OrderPaymentOrchestration.EarlyTimerTolerance)
                {
                    Advance(_timer.Value.Due);
                }

                _timer.Value.Cancel.Dispose();
                _timer = null;
            }
            else if (done == _doorbell)
            {
                await RingAsync();
            }
            else if (done == _sync)
            {
                await SyncedAsync();
            }
            else
            {
                await CalledAsync((Task<string>)done);
            }
        }
    }

    // ---- Provider calls ----

    /// <summary>Starts the calls that are due, up to <see cref="OrderPaymentOrchestration.MaxCallsInFlight"/> at once, in the order asked for.</summary>
    private void StartDueCalls()
    {
        var now = Now();
        for (var i = 0; i < _waiting.Count && _inFlight.Count < OrderPaymentOrchestration.MaxCallsInFlight && !WindingDown; i++)
        {
            var call = _waiting[i];
            if (call.DueAt > now)
            {
                continue;
            }

            _waiting.RemoveAt(i--);
            var request = new ActivityRequest(_state.Request.Provider, call.Action).ToJson();
            _inFlight[_context.CallActivityAsync<string>(OrchestrationNames.Activity(call.Action), request)] = (call, ActivityAnswer.Fingerprint(request));
            _steps++;
        }
    }

    /// <summary>A call answered: its input goes to the workflow; a transient failure is retried or given up as the shared policy says.</summary>
    private async Task CalledAsync(Task<string> task)
    {
        var (call, fingerprint) = _inFlight[task];
        _inFlight.Remove(task);
        AttemptOutcome outcome;
        try
        {
            if (ActivityAnswer.Answering(await task, fingerprint) is not { } answered)
            {
                // Another request's completion under this task's number (an episode run again after a crash; see
                // ActivityAnswer): no answer for this call, which is made again at once with its key. Not a failure.
                _waiting.Insert(0, call with { DueAt = null });
                return;
            }

            outcome = answered;
        }
        catch (TaskFailedException failure)
        {
            // The activity itself failed (a worker that could not run it, a bug): transient, like no answer.
            outcome = new AttemptOutcome(null, failure.FailureDetails.ErrorMessage);
        }

        if (outcome.Input is { } input)
        {
            Decide(input);
            return;
        }

        var failures = call.Failures + 1;
        var error = outcome.TransientError ?? "transient failure";
        var decision = _retries.AfterTransientFailure(call.Action, failures, error, outcome.RetryAfter, Now());
        if (decision.GiveUp is { } givenUp)
        {
            Decide(givenUp);
        }
        else
        {
            _waiting.Add(call with { Failures = failures, DueAt = decision.RetryAt, LastError = error });
        }
    }

    // ---- Signals ----

    /// <summary>Takes the doorbell that rang and every one already waiting: signals next in line are applied at once, any other makes a drain due.</summary>
    private async Task RingAsync()
    {
        var rung = new List<string?> { await _doorbell! };
        _doorbell = null;
        _steps++;
        while (!WindingDown)
        {
            // Doorbells already buffered rang before the ones after them: take them in one go (a full generation leaves
            // the rest to the next, whose first sync drains the inbox).
            var next = _context.WaitForExternalEvent<string>(OrchestrationNames.SignalEvent);
            if (!next.IsCompleted)
            {
                _doorbell = next;
                break;
            }

            rung.Add(await next);
            _steps++;
        }

        var bells = rung.Select(Doorbell.TryRead).ToList();
        if (bells.Exists(bell => bell is null || bell.Sequence <= 0))
        {
            // A ring without a signal (a retry of a recorded one, or an older client): the inbox says what is pending.
            _drainDue = true;
        }

        foreach (var bell in bells.OfType<Doorbell>().Where(b => b.Sequence > 0).OrderBy(b => b.Sequence))
        {
            if (bell.Sequence <= _lastSequence)
            {
                continue;
            }

            if (bell.Sequence != _lastSequence + 1)
            {
                // An earlier signal's doorbell is late or was lost: the drain answers them all, in inbox order.
                _drainDue = true;
                break;
            }

            Apply(new InboxSignal(bell.Sequence, bell.DedupeKey, bell.Signal));
        }
    }

    private void Apply(InboxSignal signal)
    {
        // Through Apply: a signal recorded as accepted and refused now keeps its refusal visible on the order.
        var step = Decide(signal.Signal, recorded: true);
        _applied.Add(new AppliedSignal(signal.DedupeKey, step.Outcome, step.Rejection, signal.Sequence));
        _lastSequence = Math.Max(_lastSequence, signal.Sequence);
        Unsynced();
    }

    // ---- Sync ----

    /// <summary>
    /// Starts a sync when one is due and none is in flight: to drain (a doorbell out of line, a new generation), to close
    /// the inbox of an order that ended, or to make durable what changed: when no call is in flight, or at the latest
    /// <see cref="OrderPaymentOrchestration.MaxStepsBeforeSync"/> steps after the first change.
    /// </summary>
    private void StartSyncIfDue()
    {
        if (_sync is not null || _closed || _syncDueAt > Now())
        {
            return;
        }

        var closing = _state.IsFinal && _state.WakeAt is null && _waiting.Count == 0 && _inFlight.Count == 0;
        var unsynced = _applied.Count > 0 || _events.Count > 0 || _savedVersion < _version;
        var overdue = _unsyncedSince is { } since && _steps - since >= OrderPaymentOrchestration.MaxStepsBeforeSync;
        if (!_drainDue && !closing && !(unsynced && (_inFlight.Count == 0 || overdue || _publishHeld)))
        {
            return;
        }

        _syncRequest = new SyncRequest(
            OrderId,
            [.. _applied],
            [.. _events],
            _savedVersion < _version ? new SavedOrder(_state, _version, _updatedAt) : null,
            Drain: _drainDue || closing,
            AfterSequence: _lastSequence,
            Close: closing,
            OrderETag: _orderETag);
        _applied.Clear();
        _events.Clear();
        _drainDue = false;
        _unsyncedSince = null;
        var json = _syncRequest.ToJson();
        _syncFor = ActivityAnswer.Fingerprint(json);
        _sync = _context.CallActivityAsync<string>(OrchestrationNames.SyncOrder, json);
        _steps++;
    }

    private async Task SyncedAsync()
    {
        var request = _syncRequest!;
        var task = _sync!;
        var fingerprint = _syncFor!;
        _sync = null;
        _syncRequest = null;
        _syncFor = null;
        SyncResult? result;
        try
        {
            result = SyncResult.Answering(await task, fingerprint);
        }
        catch (TaskFailedException)
        {
            // The tables are out of reach (a storage outage): keep what it carried and try again later, as the shared
            // policy paces retries; meanwhile calls, signals and timers go on.
            Resync(request);
            _syncFailures++;
            _syncDueAt = Now() + _retries.Delay(_syncFailures, null);
            return;
        }

        if (result is null)
        {
            // Another request's completion under this task's number (an episode run again after a crash; see
            // ActivityAnswer): this sync is done again at once (every part of it is idempotent). Not a failure.
            Resync(request);
            return;
        }

        _syncFailures = 0;
        _syncDueAt = null;
        if (request.Order is { } saved)
        {
            _savedVersion = Math.Max(_savedVersion, saved.Version);
            _orderETag = result.OrderETag ?? _orderETag;
        }

        if (result.Closed)
        {
            _closed = true;
            return;
        }

        foreach (var signal in result.Pending.Where(s => s.Sequence > _lastSequence).OrderBy(s => s.Sequence))
        {
            Apply(signal);
        }

        _drainDue |= result.More;
    }

    /// <summary>What a sync that did not answer carried goes into the next one.</summary>
    private void Resync(SyncRequest request)
    {
        _applied.InsertRange(0, request.Applied);
        _events.InsertRange(0, request.Events);
        _drainDue |= request.Drain && !request.Close;
        Unsynced();
    }

    // ---- The workflow ----

    private WorkflowStep Decide(WorkflowInput input, bool recorded = false)
    {
        var before = _state;
        var now = Now();
        var step = recorded ? _workflow.Apply(_state, input, now) : _workflow.Decide(_state, input, now);
        _state = step.State;
        _waiting.AddRange(step.Actions.Select(action => new PendingCall(action)));
        var version = OrderVersions.After(_version, before, step);
        if (version != _version)
        {
            _version = version;
            _updatedAt = now;
            if (_notify)
            {
                // Derived from the states alone: the same events, with the same ids, on every replay.
                _events.AddRange(StorefrontEvents.Derive(before, step, input, _version, now)
                    .Select((e, index) => new SequencedEvent((_version * 1000) + index, e)));
            }

            Unsynced();
        }

        return step;
    }

    private void Unsynced() => _unsyncedSince ??= _steps;

    /// <summary>
    /// Publishes the state as the custom status when it changed. A state too large to publish whole is published
    /// (shortened) only once the sync has saved it whole in the orders table, where readers complete it.
    /// </summary>
    private void Publish()
    {
        if (_published == (_version, _lastSequence))
        {
            return;
        }

        var (json, trimmed) = PublishedStatus.Fit(_state, _version, _updatedAt, _lastSequence);
        _publishHeld = trimmed && _savedVersion < _version;
        if (!_publishHeld)
        {
            _context.SetCustomStatus(json);
            _published = (_version, _lastSequence);
        }
    }

    // ---- Time ----

    /// <summary>
    /// The timer for the earliest thing due (the workflow's wake-up, a call's next attempt, a sync's retry): the one
    /// already armed when its time is still the one wanted, else a new one (the old one cancelled).
    /// </summary>
    private Task? Timer()
    {
        // What is due now was handled before the wait; a call held back only by the cap on calls in flight needs no timer.
        var now = Now();
        var due = new[] { _state.WakeAt, _syncDueAt }.Concat(_waiting.Select(call => call.DueAt)).Where(at => at > now).Min();
        if (due is null)
        {
            CancelTimer();
            return null;
        }

        if (_timer is { } armed)
        {
            if (armed.Due == due)
            {
                return armed.Task;
            }

            armed.Cancel.Cancel();
            armed.Cancel.Dispose();
        }

        var cancel = new CancellationTokenSource();
        _timer = (_context.CreateTimer(due.Value.UtcDateTime, cancel.Token), due.Value, cancel);
        _steps++;
        return _timer.Value.Task;
    }

    private void CancelTimer()
    {
        if (_timer is { } armed)
        {
            armed.Cancel.Cancel();
            armed.Cancel.Dispose();
            _timer = null;
        }
    }

    /// <summary>The orchestration's time, never earlier than a time already used (replay-safe: only from the context).</summary>
    private DateTimeOffset Now()
    {
        var context = new DateTimeOffset(DateTime.SpecifyKind(_context.CurrentUtcDateTime, DateTimeKind.Utc));
        _now = context > _now ? context : _now;
        return _now;
    }

    private void Advance(DateTimeOffset to) => _now = to > _now ? to : _now;

    private OrchestratorInput CarriedInput() => new(
        null,
        _state,
        _version,
        [.. _applied],
        Notify: _notify,
        Events: [.. _events],
        Calls: [.. _waiting],
        SavedVersion: _savedVersion,
        LastSequence: _lastSequence,
        OrderETag: _orderETag,
        Generation: _generation + 1,
        UpdatedAt: _updatedAt);
}

using System.Text.Json;
using Microsoft.Data.Sqlite;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Storage;

/// <summary>
/// One connection and, for writes, one <c>BEGIN IMMEDIATE</c> transaction: every SQL statement of the runtime.
/// Nothing is visible to others until <see cref="Commit"/>; disposing without it rolls everything back.
/// </summary>
internal sealed partial class StoreSession : IDisposable
{
    private const string DispatcherLease = "dispatcher";
    private readonly RuntimeStore _store;
    private readonly PooledConnection _pooled;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction? _transaction;
    private readonly Dictionary<string, SqliteCommand> _commands;

    private readonly RuntimeStore? _writeGateOwner;
    private readonly StateCache _states;

    /// <param name="store">The file.</param>
    /// <param name="write">A write session: the caller holds <see cref="RuntimeStore.WriteGate"/>, which the session releases when disposed.</param>
    private StoreSession(RuntimeStore store, bool write)
    {
        _store = store;
        _states = store.States;
        if (write)
        {
            _writeGateOwner = store;
        }

        try
        {
            _pooled = store.Rent(write);
            _connection = _pooled.Connection;
            _commands = _pooled.Commands;
            _transaction = write ? _connection.BeginTransaction(deferred: false) : null;
        }
        catch
        {
            _pooled?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A write session, once this process's other write sessions are done. One writer at a time in this process:
    /// waiting here is a queue, whereas waiting on SQLite's lock is its busy handler's sleep-and-retry, which costs
    /// milliseconds per collision under load. The wait is asynchronous: no thread is held while another session
    /// writes (a free gate is taken at once, without a continuation).
    /// </summary>
    public static async ValueTask<StoreSession> WriteAsync(RuntimeStore store, CancellationToken cancellationToken = default)
    {
        if (!store.WriteGate.Wait(0, CancellationToken.None))
        {
            await store.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return new StoreSession(store, write: true);
        }
        catch
        {
            // The constructor released nothing it did not take: the gate is still this caller's.
            store.WriteGate.Release();
            throw;
        }
    }

    /// <summary>
    /// Takes the write gate on the calling thread, waiting for it if another writer holds it. Only for a thread of its
    /// own (the dispatcher's): a pool thread awaits <see cref="WriteAsync"/> instead.
    /// </summary>
    public static StoreSession Write(RuntimeStore store, CancellationToken cancellationToken)
    {
        if (Thread.CurrentThread.IsThreadPoolThread)
        {
            throw new InvalidOperationException("A thread-pool thread must not wait for the write gate; await WriteAsync.");
        }

        store.WriteGate.Wait(cancellationToken);
        try
        {
            return new StoreSession(store, write: true);
        }
        catch
        {
            store.WriteGate.Release();
            throw;
        }
    }

    public static StoreSession Read(RuntimeStore store) => new(store, write: false);

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public void Commit() => Transaction.Commit();

    public void Dispose()
    {
        try
        {
            // Rolls back what was not committed; a connection that cannot even do that is closed, not kept.
            _transaction?.Dispose();
            _store.Return(_pooled, _writeGateOwner is not null);
        }
        catch
        {
            _pooled.Dispose();
            throw;
        }
        finally
        {
            _writeGateOwner?.WriteGate.Release();
        }
    }

    // ---- Lease ----

    /// <summary>Takes or renews the dispatcher lease; false when another owner holds an unexpired one.</summary>
    public bool TryTakeLease(string owner, DateTimeOffset now, TimeSpan duration, string name = DispatcherLease) =>
        Execute(
            """
            INSERT INTO lease (name, owner, expires_at) VALUES ($name, $owner, $expires)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE lease.owner = excluded.owner OR lease.expires_at <= $now
            """,
            ("$name", name), ("$owner", owner), ("$expires", Ms(now + duration)), ("$now", Ms(now))) == 1;

    /// <summary>Gives the lease up (on a clean stop), so another process need not wait for it to lapse.</summary>
    public void ReleaseLease(string owner) =>
        Execute("DELETE FROM lease WHERE name = $name AND owner = $owner", ("$name", DispatcherLease), ("$owner", owner));

    // ---- Instances ----

    /// <remarks>
    /// The state column is read and parsed only when this process has not cached the version the file holds (see
    /// <see cref="StateCache"/>). A read session caches what it parsed; a write session does not (its transaction may
    /// still roll back what it reads of its own writes): the dispatcher caches a step's state once it is committed.
    /// </remarks>
    public InstanceRow? LoadInstance(string id)
    {
        var cached = _states.Find(id);
        using var reader = Query(
            "SELECT CASE WHEN version = $cached THEN NULL ELSE state END, version, updated_at FROM instances WHERE id = $id",
            ("$id", id), ("$cached", cached?.Version ?? -1));
        return reader.Read() ? ReadInstance(reader, id, cached) : null;
    }

    /// <summary>
    /// What a status read shows, in one query: the order (its state parsed only when not cached, as
    /// <see cref="LoadInstance"/>), its count of signals not applied yet and its fault.
    /// </summary>
    public (InstanceRow Row, int PendingSignals, OrderPaymentFault? Fault)? LoadSnapshot(string id)
    {
        var cached = _states.Find(id);
        using var reader = Query(
            """
            SELECT CASE WHEN version = $cached THEN NULL ELSE state END, version, updated_at,
                   (SELECT COUNT(*) FROM inbox WHERE inbox.instance_id = instances.id AND applied_at IS NULL),
                   f.attempts, f.first_failed_at, f.last_failed_at, f.next_retry_at, f.last_error
            FROM instances LEFT JOIN step_faults f ON f.instance_id = instances.id
            WHERE id = $id
            """,
            ("$id", id), ("$cached", cached?.Version ?? -1));
        return reader.Read() ? (ReadInstance(reader, id, cached), reader.GetInt32(3), ReadFault(reader, 4)) : null;
    }

    private InstanceRow ReadInstance(SqliteDataReader reader, string id, StateCache.Entry? cached)
    {
        var version = reader.GetInt64(1);
        var updatedAt = Time(reader.GetInt64(2));
        if (reader.IsDBNull(0))
        {
            return new InstanceRow(cached!.State, version, updatedAt);
        }

        var state = Deserialize<OrderPaymentState>(reader.GetString(0));
        if (_transaction is null)
        {
            _states.Put(id, version, state);
        }

        return new InstanceRow(state, version, updatedAt);
    }

    /// <summary>Inserts a new order's row, with its report columns (see <see cref="ReportColumns"/>).</summary>
    public void InsertInstance(OrderPaymentState state, DateTimeOffset now)
    {
        var report = ReportColumns.Of(state);
        var request = state.Request;
        Execute(
            """
            INSERT INTO instances (id, state, status, version, wake_at, created_at, updated_at,
                                   reference, provider, currency, amount, authorized, captured, refunded, needs_attention)
            VALUES ($id, CAST($state AS TEXT), $status, 1, $wake, $now, $now,
                    $reference, $provider, $currency, $amount, $authorized, $captured, $refunded, $attention)
            """,
            ("$id", state.OrderId.Value), ("$state", StateJson(state)), ("$status", report.Status), ("$wake", WakeMs(state)), ("$now", Ms(now)),
            ("$reference", report.Reference), ("$provider", request.Provider.ToString()), ("$currency", request.Amount.Currency.ToString()), ("$amount", request.Amount.Value),
            ("$authorized", report.Authorized), ("$captured", report.Captured), ("$refunded", report.Refunded), ("$attention", report.NeedsAttention));
        InsertReference(state);
    }

    /// <summary>
    /// Saves a new state at <paramref name="version"/> (<see cref="Application.Workflows.OrderVersions"/>) if the row still
    /// has <paramref name="expectedVersion"/>. A step makes the order's records (history, inbox, …) current again, so a
    /// finished order that was pruned becomes prunable again later.
    /// </summary>
    /// <remarks>
    /// The report columns (and with them the report indexes and the money log's trigger) are written only when they
    /// differ from <paramref name="previous"/>'s, the state the step started from: most steps (reads, polls,
    /// webhooks that change nothing a report shows) leave them, and their indexes, untouched.
    /// </remarks>
    /// <exception cref="System.Data.DBConcurrencyException">Someone else saved a step first.</exception>
    public void UpdateInstance(OrderPaymentState state, OrderPaymentState previous, long expectedVersion, long version, DateTimeOffset now)
    {
        var report = ReportColumns.Of(state);
        var changed = report == ReportColumns.Of(previous)
            ? Execute(
                "UPDATE instances SET state = CAST($state AS TEXT), version = $new, wake_at = $wake, updated_at = $now, pruned_at = NULL WHERE id = $id AND version = $version",
                ("$id", state.OrderId.Value), ("$state", StateJson(state)), ("$wake", WakeMs(state)), ("$now", Ms(now)), ("$version", expectedVersion), ("$new", version))
            : Execute(
                """
                UPDATE instances SET state = CAST($state AS TEXT), status = $status, version = $new, wake_at = $wake, updated_at = $now, pruned_at = NULL,
                    reference = $reference, authorized = $authorized, captured = $captured, refunded = $refunded, needs_attention = $attention
                WHERE id = $id AND version = $version
                """,
                ("$id", state.OrderId.Value), ("$state", StateJson(state)), ("$status", report.Status), ("$wake", WakeMs(state)), ("$now", Ms(now)), ("$version", expectedVersion), ("$new", version),
                ("$reference", report.Reference), ("$authorized", report.Authorized), ("$captured", report.Captured), ("$refunded", report.Refunded), ("$attention", report.NeedsAttention));
        if (changed != 1)
        {
            throw new System.Data.DBConcurrencyException($"Order {state.OrderId} changed while a step was being saved.");
        }
    }

    /// <summary>The order whose attempt has <paramref name="reference"/>, or null.</summary>
    public string? FindByReference(string reference) =>
        Scalar("SELECT instance_id FROM payment_references WHERE reference = $reference", ("$reference", reference)) as string;

    /// <summary>Makes the state's current reference findable; every attempt's stays (a webhook about an earlier attempt still reaches its order).</summary>
    public void InsertReference(OrderPaymentState state) =>
        Execute(
            "INSERT INTO payment_references (reference, instance_id) VALUES ($reference, $id) ON CONFLICT (reference) DO NOTHING",
            ("$reference", state.Reference.Value), ("$id", state.OrderId.Value));

    /// <summary>A page of orders with their count of signals not applied yet and their fault, in one query.</summary>
    public List<(InstanceRow Row, int PendingSignals, OrderPaymentFault? Fault)> ListInstances(PaymentStatus? status, string? after, int limit)
    {
        using var reader = Query(
            """
            SELECT state, version, updated_at,
                   (SELECT COUNT(*) FROM inbox WHERE inbox.instance_id = instances.id AND applied_at IS NULL),
                   f.attempts, f.first_failed_at, f.last_failed_at, f.next_retry_at, f.last_error
            FROM instances LEFT JOIN step_faults f ON f.instance_id = instances.id
            WHERE ($status IS NULL OR status = $status) AND ($after IS NULL OR id > $after)
            ORDER BY id LIMIT $limit
            """,
            ("$status", status?.ToString()), ("$after", after), ("$limit", limit));
        var rows = new List<(InstanceRow, int, OrderPaymentFault?)>();
        while (reader.Read())
        {
            rows.Add((new InstanceRow(Deserialize<OrderPaymentState>(reader.GetString(0)), reader.GetInt64(1), Time(reader.GetInt64(2))), reader.GetInt32(3), ReadFault(reader, 4)));
        }

        return rows;
    }

    /// <summary>
    /// Orders with a recorded signal not yet applied, or a wake-up that is due, oldest work first (due wake-ups, then
    /// signals in the order they arrived), with how often stepping each failed in a row (0 for most). An order whose
    /// step failed is left out until its retry time. <c>More</c> says that work may be left beyond these.
    /// </summary>
    /// <remarks>
    /// Both looks are ordered index scans that stop at their limit, so a backlog of any size costs each batch the same;
    /// an order with many signals waiting takes several of the <c>4 × limit</c> signals read, and the batch is smaller.
    /// </remarks>
    public (List<(string Id, int FailedAttempts)> Due, bool More) DueInstances(DateTimeOffset now, int limit)
    {
        var due = new List<(string, int)>(limit);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = Query(
            """
            SELECT id, COALESCE(f.attempts, 0) FROM instances LEFT JOIN step_faults f ON f.instance_id = instances.id
            WHERE wake_at IS NOT NULL AND wake_at <= $now AND (f.next_retry_at IS NULL OR f.next_retry_at <= $now)
            ORDER BY wake_at LIMIT $limit
            """,
            ("$now", Ms(now)), ("$limit", limit)))
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                seen.Add(id);
                due.Add((id, reader.GetInt32(1)));
            }
        }

        if (due.Count == limit)
        {
            return (due, true);
        }

        var scan = 4 * limit;
        var read = 0;
        using (var reader = Query(
            """
            SELECT inbox.instance_id, COALESCE(f.attempts, 0) FROM inbox INDEXED BY ix_inbox_arrival
            LEFT JOIN step_faults f ON f.instance_id = inbox.instance_id
            WHERE applied_at IS NULL AND (f.next_retry_at IS NULL OR f.next_retry_at <= $now)
            ORDER BY seq LIMIT $scan
            """,
            ("$now", Ms(now)), ("$scan", scan)))
        {
            while (due.Count < limit && reader.Read())
            {
                read++;
                var id = reader.GetString(0);
                if (seen.Add(id))
                {
                    due.Add((id, reader.GetInt32(1)));
                }
            }
        }

        return (due, due.Count == limit || read == scan);
    }

    public Dictionary<PaymentStatus, long> CountByStatus()
    {
        using var reader = Query("SELECT status, COUNT(*) FROM instances GROUP BY status");
        var counts = new Dictionary<PaymentStatus, long>();
        while (reader.Read())
        {
            counts[Enum.Parse<PaymentStatus>(reader.GetString(0))] = reader.GetInt64(1);
        }

        return counts;
    }

    // ---- Inbox ----

    /// <summary>
    /// The signal recorded with <paramref name="dedupeKey"/>: null when there is none; otherwise what applying it came
    /// to (a null outcome while it waits) and why it was refused, when it was.
    /// </summary>
    public (InputOutcome? Outcome, InputRejection? Rejection)? RecordedSignal(string id, string dedupeKey)
    {
        using var reader = Query("SELECT outcome, rejection FROM inbox WHERE instance_id = $id AND dedupe_key = $key", ("$id", id), ("$key", dedupeKey));
        if (!reader.Read())
        {
            return null;
        }

        InputOutcome? outcome = reader.IsDBNull(0) ? null : Enum.Parse<InputOutcome>(reader.GetString(0));
        return (outcome, reader.IsDBNull(1) ? null : Deserialize<InputRejection>(reader.GetString(1)));
    }

    /// <summary>Records a signal once per (order, dedupe key); false when it was recorded before.</summary>
    /// <remarks>The signal keeps the trace context it was recorded in (<paramref name="traceParent"/>, else the current activity's), so the step that applies it continues that trace.</remarks>
    public bool InsertSignal(string id, string dedupeKey, WorkflowInput input, DateTimeOffset now, string? traceParent = null) =>
        Execute(
            "INSERT INTO inbox (instance_id, dedupe_key, input, received_at, trace_parent) VALUES ($id, $key, $input, $now, $trace) ON CONFLICT (instance_id, dedupe_key) DO NOTHING",
            ("$id", id), ("$key", dedupeKey), ("$input", Json(input)), ("$now", Ms(now)), ("$trace", traceParent ?? System.Diagnostics.Activity.Current?.Id)) == 1;

    public List<PendingSignal> PendingSignals(string id)
    {
        using var reader = Query("SELECT seq, input, received_at, trace_parent FROM inbox WHERE instance_id = $id AND applied_at IS NULL ORDER BY seq", ("$id", id));
        var signals = new List<PendingSignal>();
        while (reader.Read())
        {
            var json = reader.GetString(1);
            signals.Add(new PendingSignal(reader.GetInt64(0), Deserialize<WorkflowInput>(json), json, Time(reader.GetInt64(2)), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return signals;
    }

    public long PendingSignalTotal() => (long)Scalar("SELECT COUNT(*) FROM inbox WHERE applied_at IS NULL")!;

    public void MarkApplied(long seq, WorkflowStep step, DateTimeOffset now) =>
        Execute(
            "UPDATE inbox SET applied_at = $now, outcome = $outcome, rejection = $rejection WHERE seq = $seq",
            ("$seq", seq), ("$now", Ms(now)), ("$outcome", step.Outcome.ToString()), ("$rejection", step.Rejection is null ? null : Json(step.Rejection)));

    // ---- History ----

    public void AppendHistory(string id, DateTimeOffset now, string input, WorkflowStep step) =>
        Execute(
            "INSERT INTO history (instance_id, at, input, outcome, rejection, actions) VALUES ($id, $now, $input, $outcome, $rejection, $actions)",
            ("$id", id), ("$now", Ms(now)), ("$input", input), ("$outcome", step.Outcome.ToString()),
            ("$rejection", step.Rejection is null ? null : Json(step.Rejection)), ("$actions", Json(step.Actions)));

    // ---- Outbox ----

    public void InsertActions(string id, PaymentProvider provider, IEnumerable<WorkflowAction> actions, DateTimeOffset now)
    {
        foreach (var action in actions)
        {
            Execute(
                """
                INSERT INTO outbox (instance_id, key, provider, action, priority, next_attempt_at, created_at, trace_parent) VALUES ($id, $key, $provider, $action, $priority, $now, $now, $trace)
                ON CONFLICT (instance_id, key) DO NOTHING
                """,
                ("$id", id), ("$key", action.Key.Value), ("$provider", provider.ToString()), ("$action", Json(action)), ("$priority", Priority(action)),
                ("$now", Ms(now)), ("$trace", System.Diagnostics.Activity.Current?.Id));
        }
    }

    /// <summary>Mutations (create, capture, cancel, refund, abort) come before queries: under pressure, reads are what waits.</summary>
    private static int Priority(WorkflowAction action) => action is QueryPayment ? 1 : 0;

    /// <summary>
    /// Up to <paramref name="limit"/> provider calls due, mutations first, each by when it fell due, leaving out the
    /// <paramref name="running"/> ones (without parsing their actions).
    /// </summary>
    public List<DueActivity> DueActivities(DateTimeOffset now, int limit, IReadOnlyDictionary<(string, IdempotencyKey), byte>? running = null)
    {
        // One ordered index scan per priority, each stopping at the limit: the same cost however many calls are due.
        using var reader = Query(
            """
            SELECT instance_id, key, provider, action, attempts, trace_parent FROM (
                SELECT * FROM (SELECT * FROM outbox WHERE completed_at IS NULL AND priority = 0 AND next_attempt_at <= $now ORDER BY next_attempt_at LIMIT $limit)
                UNION ALL
                SELECT * FROM (SELECT * FROM outbox WHERE completed_at IS NULL AND priority = 1 AND next_attempt_at <= $now ORDER BY next_attempt_at LIMIT $limit))
            ORDER BY priority, next_attempt_at
            """,
            ("$now", Ms(now)), ("$limit", limit + (running?.Count ?? 0)));
        var due = new List<DueActivity>();
        while (due.Count < limit && reader.Read())
        {
            var id = reader.GetString(0);
            if (running?.ContainsKey((id, IdempotencyKey.Parse(reader.GetString(1)))) == true)
            {
                continue;
            }

            due.Add(new DueActivity(id, Enum.Parse<PaymentProvider>(reader.GetString(2)), Deserialize<WorkflowAction>(reader.GetString(3)), reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return due;
    }

    /// <summary>Marks the activity done; false when it was already done (its result was recorded before).</summary>
    public bool CompleteActivity(string id, IdempotencyKey key, DateTimeOffset now) =>
        Execute("UPDATE outbox SET completed_at = $now WHERE instance_id = $id AND key = $key AND completed_at IS NULL", ("$id", id), ("$key", key.Value), ("$now", Ms(now))) == 1;

    public void RescheduleActivity(string id, IdempotencyKey key, DateTimeOffset next, string error) =>
        Execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $next, last_error = $error WHERE instance_id = $id AND key = $key AND completed_at IS NULL",
            ("$id", id), ("$key", key.Value), ("$next", Ms(next)), ("$error", error));

    public List<PendingActivity> PendingActivities(string id)
    {
        using var reader = Query("SELECT action, attempts, next_attempt_at, last_error FROM outbox WHERE instance_id = $id AND completed_at IS NULL ORDER BY created_at", ("$id", id));
        var pending = new List<PendingActivity>();
        while (reader.Read())
        {
            pending.Add(new PendingActivity(Deserialize<WorkflowAction>(reader.GetString(0)), reader.GetInt32(1), Time(reader.GetInt64(2)), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return pending;
    }

    /// <summary>
    /// The earliest wake-up, activity retry or retry of a failed order after <paramref name="now"/>; null when nothing
    /// is scheduled. Activities due already are running or waiting for a slot, and their completion wakes the
    /// dispatcher by itself.
    /// </summary>
    public DateTimeOffset? NextDue(DateTimeOffset now)
    {
        var value = Scalar(
            """
            SELECT MIN(t) FROM (
                SELECT MIN(wake_at) AS t FROM instances WHERE wake_at > $now
                UNION ALL SELECT MIN(next_attempt_at) FROM outbox WHERE completed_at IS NULL AND priority = 0 AND next_attempt_at > $now
                UNION ALL SELECT MIN(next_attempt_at) FROM outbox WHERE completed_at IS NULL AND priority = 1 AND next_attempt_at > $now
                UNION ALL SELECT MIN(next_retry_at) FROM step_faults WHERE next_retry_at > $now)
            """,
            ("$now", Ms(now)));
        return value is long ms ? Time(ms) : null;
    }

    // ---- Step faults (an order whose step threw, set aside until its retry time) ----

    /// <summary>Records that stepping the order failed (again): <paramref name="attempts"/> in a row, tried next at <paramref name="retryAt"/>.</summary>
    public void RecordFault(string id, int attempts, DateTimeOffset now, DateTimeOffset retryAt, string error) =>
        Execute(
            """
            INSERT INTO step_faults (instance_id, attempts, first_failed_at, last_failed_at, next_retry_at, last_error)
            VALUES ($id, $attempts, $now, $now, $retry, $error)
            ON CONFLICT (instance_id) DO UPDATE SET attempts = excluded.attempts, last_failed_at = excluded.last_failed_at,
                next_retry_at = excluded.next_retry_at, last_error = excluded.last_error
            """,
            ("$id", id), ("$attempts", attempts), ("$now", Ms(now)), ("$retry", Ms(retryAt)), ("$error", error));

    public void ClearFault(string id) => Execute("DELETE FROM step_faults WHERE instance_id = $id", ("$id", id));

    /// <summary>A page of faulted orders by id; reads the status column, never the state (which may be what cannot be read).</summary>
    public List<FaultedOrder> ListFaults(string? after, int limit)
    {
        using var reader = Query(
            """
            SELECT f.attempts, f.first_failed_at, f.last_failed_at, f.next_retry_at, f.last_error, f.instance_id, i.status
            FROM step_faults f JOIN instances i ON i.id = f.instance_id
            WHERE $after IS NULL OR f.instance_id > $after
            ORDER BY f.instance_id LIMIT $limit
            """,
            ("$after", after), ("$limit", limit));
        var faults = new List<FaultedOrder>();
        while (reader.Read())
        {
            faults.Add(new FaultedOrder(reader.GetString(5), Enum.Parse<PaymentStatus>(reader.GetString(6)), ReadFault(reader, 0)!));
        }

        return faults;
    }

    private static OrderPaymentFault? ReadFault(SqliteDataReader reader, int first) =>
        reader.IsDBNull(first)
            ? null
            : new OrderPaymentFault(
                reader.GetInt32(first),
                Time(reader.GetInt64(first + 1)),
                Time(reader.GetInt64(first + 2)),
                Time(reader.GetInt64(first + 3)),
                reader.GetString(first + 4));

    // ---- Retention ----

    /// <summary>
    /// Finished orders (Cancelled or Completed) last stepped at or before <paramref name="cutoff"/> whose records are
    /// still there, oldest first; only settled ones: no signal waiting, no provider call open, no wake-up.
    /// </summary>
    public List<string> PrunableOrders(DateTimeOffset cutoff, int limit)
    {
        // On the partial index (its terms repeated, as SQLite requires): only finished orders not pruned yet, oldest
        // first, never the ever-growing number pruned before. Without statistics the planner would take the status index.
        using var reader = Query(
            """
            SELECT id FROM instances INDEXED BY ix_instances_prunable
            WHERE pruned_at IS NULL AND status IN ('Cancelled', 'Completed') AND updated_at <= $cutoff AND wake_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM inbox WHERE inbox.instance_id = instances.id AND applied_at IS NULL)
              AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.instance_id = instances.id AND completed_at IS NULL)
            ORDER BY updated_at LIMIT $limit
            """,
            ("$cutoff", Ms(cutoff)), ("$limit", limit));
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Deletes the order's inbox, history, provider calls, payment references and fault; its row (the status document) stays.</summary>
    public void PruneOrder(string id, DateTimeOffset now)
    {
        Execute("DELETE FROM inbox WHERE instance_id = $id", ("$id", id));
        Execute("DELETE FROM history WHERE instance_id = $id", ("$id", id));
        Execute("DELETE FROM outbox WHERE instance_id = $id", ("$id", id));
        Execute("DELETE FROM payment_references WHERE instance_id = $id", ("$id", id));
        Execute("DELETE FROM step_faults WHERE instance_id = $id", ("$id", id));
        Execute("DELETE FROM event_deliveries WHERE instance_id = $id AND status <> 'pending'", ("$id", id));
        Execute("DELETE FROM storefront_events WHERE instance_id = $id AND seq NOT IN (SELECT event_seq FROM event_deliveries WHERE instance_id = $id)", ("$id", id));
        Execute("UPDATE instances SET pruned_at = $now WHERE id = $id", ("$id", id), ("$now", Ms(now)));
    }

    /// <summary>Deletes up to <paramref name="limit"/> applied signals received at or before <paramref name="cutoff"/>; returns how many.</summary>
    public int PruneAppliedSignals(DateTimeOffset cutoff, int limit) =>
        Execute(
            """
            DELETE FROM inbox WHERE seq IN (
                SELECT seq FROM inbox WHERE applied_at IS NOT NULL AND received_at <= $cutoff ORDER BY received_at LIMIT $limit)
            """,
            ("$cutoff", Ms(cutoff)), ("$limit", limit));

    // ---- Host values (e.g. the registered webhook's id and secret) ----

    public string? HostValue(string name) => Scalar("SELECT value FROM host_values WHERE name = $name", ("$name", name)) as string;

    public void SetHostValue(string name, string value, DateTimeOffset now) =>
        Execute(
            "INSERT INTO host_values (name, value, updated_at) VALUES ($name, $value, $now) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            ("$name", name), ("$value", value), ("$now", Ms(now)));

    // ---- Savepoints (one per operation of a group commit) ----

    public void Savepoint(string name) => Transaction.Save(name);

    public void ReleaseSavepoint(string name) => Transaction.Release(name);

    public void RollbackToSavepoint(string name)
    {
        Transaction.Rollback(name);
        Transaction.Release(name);
    }

    private SqliteTransaction Transaction => _transaction ?? throw new InvalidOperationException("A read session has no transaction.");

    // ---- Plumbing ----

    private static long? WakeMs(OrderPaymentState state) => state.WakeAt is { } wake ? Ms(wake) : null;

    /// <summary>The stored JSON form of a state, input, action or rejection.</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, OrderPaymentsJson.Options);

    /// <summary>
    /// A state's stored JSON as UTF-8, bound as a blob and stored as TEXT by the statement's <c>CAST(… AS TEXT)</c> (the
    /// file's encoding is UTF-8, so the bytes are stored as they are). The state is written at every step and is the
    /// largest value written; a string would be transcoded twice (UTF-8 to UTF-16 by the serializer, back to UTF-8 when
    /// bound), ~3 KB each way.
    /// </summary>
    private static byte[] StateJson(OrderPaymentState state) => JsonSerializer.SerializeToUtf8Bytes(state, OrderPaymentsJson.Options);

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, OrderPaymentsJson.Options) ?? throw new JsonException($"Stored {typeof(T).Name} is null.");

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _commands[sql] = command;
        }

        // Kept with the connection across sessions: each session runs it in its own transaction (or none).
        command.Transaction = _transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            var (name, value) = parameters[i];
            var parameter = command.Parameters[i].ParameterName == name ? command.Parameters[i] : command.Parameters[name];
            parameter.Value = value ?? DBNull.Value;
        }

        return command;
    }

    private int Execute(string sql, params (string Name, object? Value)[] parameters) => Command(sql, parameters).ExecuteNonQuery();

    private object? Scalar(string sql, params (string Name, object? Value)[] parameters) => Command(sql, parameters).ExecuteScalar();

    private SqliteDataReader Query(string sql, params (string Name, object? Value)[] parameters) => Command(sql, parameters).ExecuteReader();
}

namespace OrderPayments.Runtime.Storage;

/// <summary>The versioned schema of the runtime's SQLite file. Migrations are only ever appended.</summary>
internal static class RuntimeSchema
{
    /// <summary>Migration n (1-based) brings the file from version n-1 to n.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE instances (
            id          TEXT PRIMARY KEY,
            state       TEXT NOT NULL,
            status      TEXT NOT NULL,
            version     INTEGER NOT NULL,
            wake_at     INTEGER NULL,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX ix_instances_wake ON instances (wake_at) WHERE wake_at IS NOT NULL;
        CREATE INDEX ix_instances_status ON instances (status, id);

        CREATE TABLE inbox (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id  TEXT NOT NULL,
            dedupe_key   TEXT NOT NULL,
            input        TEXT NOT NULL,
            received_at  INTEGER NOT NULL,
            applied_at   INTEGER NULL,
            outcome      TEXT NULL,
            rejection    TEXT NULL,
            UNIQUE (instance_id, dedupe_key)
        );
        CREATE INDEX ix_inbox_pending ON inbox (instance_id, seq) WHERE applied_at IS NULL;

        CREATE TABLE outbox (
            instance_id      TEXT NOT NULL,
            key              TEXT NOT NULL,
            provider         TEXT NOT NULL,
            action           TEXT NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 0,
            next_attempt_at  INTEGER NOT NULL,
            last_error       TEXT NULL,
            created_at       INTEGER NOT NULL,
            completed_at     INTEGER NULL,
            PRIMARY KEY (instance_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX ix_outbox_due ON outbox (next_attempt_at) WHERE completed_at IS NULL;

        CREATE TABLE history (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id  TEXT NOT NULL,
            at           INTEGER NOT NULL,
            input        TEXT NOT NULL,
            outcome      TEXT NOT NULL,
            rejection    TEXT NULL,
            actions      TEXT NOT NULL
        );
        CREATE INDEX ix_history_instance ON history (instance_id, seq);

        CREATE TABLE lease (
            name        TEXT PRIMARY KEY,
            owner       TEXT NOT NULL,
            expires_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE payment_references (
            reference    TEXT PRIMARY KEY,
            instance_id  TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO payment_references (reference, instance_id)
            SELECT json_extract(state, '$.reference'), id FROM instances;

        CREATE TABLE host_values (
            name        TEXT PRIMARY KEY,
            value       TEXT NOT NULL,
            updated_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        // 3: an order whose step throws is set aside with its fault until its retry time.
        """
        CREATE TABLE step_faults (
            instance_id      TEXT PRIMARY KEY,
            attempts         INTEGER NOT NULL,
            first_failed_at  INTEGER NOT NULL,
            last_failed_at   INTEGER NOT NULL,
            next_retry_at    INTEGER NOT NULL,
            last_error       TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        // 4: retention: finished orders' records (pruned_at marks those done) and applied signals, with the indexes
        // the pruning queries use.
        """
        ALTER TABLE instances ADD COLUMN pruned_at INTEGER NULL;
        CREATE INDEX ix_instances_prunable ON instances (updated_at) WHERE pruned_at IS NULL AND status IN ('Cancelled', 'Completed');
        CREATE INDEX ix_inbox_applied ON inbox (received_at) WHERE applied_at IS NOT NULL;
        CREATE INDEX ix_references_instance ON payment_references (instance_id);
        """,
        // 5: storefront notifications: endpoints, the events of committed steps, and one delivery per (endpoint, event).
        """
        CREATE TABLE notification_endpoints (
            id          TEXT PRIMARY KEY,
            url         TEXT NOT NULL,
            secret      TEXT NOT NULL,
            types       TEXT NULL,
            source      TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            deleted_at  INTEGER NULL
        ) WITHOUT ROWID;

        CREATE TABLE storefront_events (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id     TEXT NOT NULL UNIQUE,
            instance_id  TEXT NOT NULL,
            type         TEXT NOT NULL,
            body         TEXT NOT NULL,
            created_at   INTEGER NOT NULL
        );
        CREATE INDEX ix_events_instance ON storefront_events (instance_id);

        CREATE TABLE event_deliveries (
            endpoint_id      TEXT NOT NULL,
            event_seq        INTEGER NOT NULL,
            instance_id      TEXT NOT NULL,
            status           TEXT NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 0,
            next_attempt_at  INTEGER NOT NULL,
            since            INTEGER NOT NULL,
            last_error       TEXT NULL,
            done_at          INTEGER NULL,
            PRIMARY KEY (endpoint_id, event_seq)
        ) WITHOUT ROWID;
        CREATE INDEX ix_deliveries_head ON event_deliveries (endpoint_id, instance_id, event_seq) WHERE status = 'pending';
        CREATE INDEX ix_deliveries_due ON event_deliveries (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX ix_deliveries_instance ON event_deliveries (instance_id);
        """,
        // 6: the trace context a signal was recorded in and a call was decided in (W3C traceparent), so the step that
        // applies the signal and the provider call continue the request's trace.
        """
        ALTER TABLE inbox ADD COLUMN trace_parent TEXT NULL;
        ALTER TABLE outbox ADD COLUMN trace_parent TEXT NULL;
        """,
        // 7: the dispatcher's look for due work reads only as far as it takes (an ordered index scan with a limit)
        // however large a backlog is: provider calls by priority (mutations before queries) and time, pending signals
        // in the order they arrived. Before, each look grouped or sorted every due row (16 ms at 10,000 pending).
        """
        ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
        UPDATE outbox SET priority = 1 WHERE json_extract(action, '$.type') = 'query';
        DROP INDEX ix_outbox_due;
        CREATE INDEX ix_outbox_due ON outbox (priority, next_attempt_at) WHERE completed_at IS NULL;
        CREATE INDEX ix_inbox_arrival ON inbox (seq, instance_id) WHERE applied_at IS NULL;
        """,
        // 8: the operator reports (IOrderReports). What a listing, a total or a search reads of an order is kept in
        // columns beside its state (written when it changes) and in covering indexes, so that none of them parses a
        // state or reads one from its overflow pages; every increase of captured or refunded is logged, with its
        // time, by a trigger (the hourly series). Existing orders are filled in from their states (one whose state
        // cannot be read keeps NULLs and is left out of the reports until it steps again); their captures and refunds
        // so far are logged at the first capture and at the last step.
        """
        ALTER TABLE instances ADD COLUMN reference TEXT NULL;
        ALTER TABLE instances ADD COLUMN provider TEXT NULL;
        ALTER TABLE instances ADD COLUMN currency TEXT NULL;
        ALTER TABLE instances ADD COLUMN amount INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE instances ADD COLUMN authorized INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE instances ADD COLUMN captured INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE instances ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE instances ADD COLUMN needs_attention INTEGER NOT NULL DEFAULT 0;
        UPDATE instances SET
            reference = json_extract(state, '$.reference'),
            provider = json_extract(state, '$.request.provider'),
            currency = json_extract(state, '$.request.amount.currency'),
            amount = json_extract(state, '$.request.amount.value'),
            authorized = COALESCE(json_extract(state, '$.aggregate.authorized.value'), 0),
            captured = COALESCE(json_extract(state, '$.aggregate.captured.value'), 0),
            refunded = COALESCE(json_extract(state, '$.aggregate.refunded.value'), 0),
            needs_attention = status NOT IN ('Cancelled', 'Completed') AND EXISTS (
                SELECT 1 FROM json_each(instances.state, '$.problems') p
                WHERE json_extract(p.value, '$.attempt') = json_extract(instances.state, '$.attempt') AND json_extract(p.value, '$.action') <> 'Query')
        WHERE json_valid(state);

        CREATE INDEX ix_instances_created ON instances (created_at, id, status, needs_attention, currency, amount, authorized, captured, refunded, reference, provider);
        CREATE INDEX ix_instances_status_created ON instances (status, created_at, id, needs_attention, currency, amount, authorized, captured, refunded, reference, provider);
        CREATE INDEX ix_instances_attention ON instances (created_at, id) WHERE needs_attention = 1;
        CREATE INDEX ix_instances_id_nocase ON instances (id COLLATE NOCASE);
        CREATE INDEX ix_instances_reference ON instances (reference COLLATE NOCASE);

        CREATE TABLE money_movements (
            seq          INTEGER PRIMARY KEY,
            instance_id  TEXT NOT NULL,
            at           INTEGER NOT NULL,
            currency     TEXT NOT NULL,
            captured     INTEGER NOT NULL,
            refunded     INTEGER NOT NULL
        );
        CREATE INDEX ix_movements_at ON money_movements (at, currency, captured);
        INSERT INTO money_movements (instance_id, at, currency, captured, refunded)
            SELECT id, COALESCE(CAST(round((julianday(json_extract(state, '$.firstCapturedAt')) - 2440587.5) * 86400000) AS INTEGER), updated_at), currency, captured, 0
            FROM instances WHERE captured > 0 AND currency IS NOT NULL;
        INSERT INTO money_movements (instance_id, at, currency, captured, refunded)
            SELECT id, updated_at, currency, 0, refunded FROM instances WHERE refunded > 0 AND currency IS NOT NULL;
        CREATE TRIGGER tr_instances_money AFTER UPDATE OF captured, refunded ON instances
        WHEN new.currency IS NOT NULL AND (new.captured > old.captured OR new.refunded > old.refunded)
        BEGIN
            INSERT INTO money_movements (instance_id, at, currency, captured, refunded)
            VALUES (new.id, new.updated_at, new.currency, max(new.captured - old.captured, 0), max(new.refunded - old.refunded, 0));
        END;
        """,
    ];
}

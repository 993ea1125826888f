-- Tollgate webhooks: one row per delivered event, the dead-letter queue, and the schema verifier.
-- Every time in these tables is written by the application from its injected Clock (never now()),
-- so tests can move time and several replicas agree on what "expired" means.

CREATE SCHEMA IF NOT EXISTS webhooks;

CREATE TABLE IF NOT EXISTS webhooks.events (
    provider        text        NOT NULL,
    event_id        text        NOT NULL,
    event_type      text,
    state           text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    lease_token     uuid,
    lease_until     timestamptz,
    next_attempt_at timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    processed_at    timestamptz,
    last_error      text,
    payload         bytea,
    CONSTRAINT events_pkey PRIMARY KEY (provider, event_id),
    CONSTRAINT events_state_check
        CHECK (state IN ('pending', 'processing', 'processed', 'failed', 'dead')),
    CONSTRAINT events_attempts_check CHECK (attempts >= 0),
    CONSTRAINT events_last_error_length_check CHECK (char_length(last_error) <= 1000),
    CONSTRAINT events_provider_check CHECK (char_length(provider) BETWEEN 1 AND 100),
    CONSTRAINT events_event_id_check CHECK (char_length(event_id) BETWEEN 1 AND 255)
);

COMMENT ON TABLE webhooks.events IS
    'Tollgate: one row per (provider, event_id); state pending|processing|processed|failed|dead.';

-- Workers look for due work: pending or failed events whose next attempt is due, and expired leases.
CREATE INDEX IF NOT EXISTS events_due_idx
    ON webhooks.events (next_attempt_at)
    WHERE state IN ('pending', 'failed');
CREATE INDEX IF NOT EXISTS events_lease_idx
    ON webhooks.events (lease_until)
    WHERE state = 'processing';
-- purge(olderThan) deletes processed events by age.
CREATE INDEX IF NOT EXISTS events_processed_idx
    ON webhooks.events (processed_at)
    WHERE state = 'processed';

CREATE TABLE IF NOT EXISTS webhooks.dead_letter_queue (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider    text        NOT NULL,
    event_id    text        NOT NULL,
    event_type  text,
    attempts    integer     NOT NULL,
    last_error  text,
    dead_at     timestamptz NOT NULL,
    redriven_at timestamptz,
    CONSTRAINT dead_letter_queue_event_fkey FOREIGN KEY (provider, event_id)
        REFERENCES webhooks.events (provider, event_id) ON DELETE CASCADE
);

COMMENT ON TABLE webhooks.dead_letter_queue IS
    'Tollgate: events that gave up after the maximum number of attempts; redriven_at is set when re-driven.';

-- At most one open (not re-driven) dead letter per event.
CREATE UNIQUE INDEX IF NOT EXISTS dead_letter_queue_open_idx
    ON webhooks.dead_letter_queue (provider, event_id)
    WHERE redriven_at IS NULL;

CREATE OR REPLACE FUNCTION webhooks.verify_webhook_schema()
    RETURNS TABLE(check_name text, status text, detail text)
    LANGUAGE plpgsql
    STABLE
AS $$
DECLARE
    missing text;
BEGIN
    -- Tables
    SELECT string_agg(t, ', ') INTO missing
      FROM unnest(ARRAY['events', 'dead_letter_queue']) AS t
     WHERE to_regclass('webhooks.' || t) IS NULL;
    check_name := 'tables_present';
    status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := COALESCE('missing: webhooks.' || missing, 'webhooks.events and webhooks.dead_letter_queue exist');
    RETURN NEXT;

    -- Columns with the expected types
    SELECT string_agg(expected.col || ' ' || expected.typ, ', ') INTO missing
      FROM (VALUES ('provider', 'text'), ('event_id', 'text'), ('event_type', 'text'), ('state', 'text'),
                   ('attempts', 'integer'), ('lease_token', 'uuid'),
                   ('lease_until', 'timestamp with time zone'),
                   ('next_attempt_at', 'timestamp with time zone'),
                   ('received_at', 'timestamp with time zone'),
                   ('processed_at', 'timestamp with time zone'), ('last_error', 'text'),
                   ('payload', 'bytea')) AS expected(col, typ)
     WHERE NOT EXISTS (
        SELECT 1 FROM information_schema.columns c
         WHERE c.table_schema = 'webhooks' AND c.table_name = 'events'
           AND c.column_name = expected.col AND c.data_type = expected.typ);
    check_name := 'events_columns';
    status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := COALESCE('missing or of another type: ' || missing, 'every column of webhooks.events has its type');
    RETURN NEXT;

    -- One row per (provider, event_id)
    check_name := 'events_unique_provider_event_id';
    IF EXISTS (
        SELECT 1 FROM pg_constraint con
         WHERE con.conrelid = to_regclass('webhooks.events')
           AND con.contype IN ('p', 'u')
           AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
                  FROM unnest(con.conkey) k JOIN pg_attribute a
                    ON a.attrelid = con.conrelid AND a.attnum = k) = ARRAY['event_id', 'provider']) THEN
        status := 'PASS'; detail := 'a unique key on (provider, event_id) exists';
    ELSE
        status := 'FAIL'; detail := 'no primary or unique key on webhooks.events (provider, event_id): duplicates possible';
    END IF;
    RETURN NEXT;

    -- State values are constrained
    check_name := 'events_state_check';
    IF EXISTS (SELECT 1 FROM pg_constraint
                WHERE conrelid = to_regclass('webhooks.events') AND conname = 'events_state_check'
                  AND contype = 'c') THEN
        status := 'PASS'; detail := 'state is limited to pending|processing|processed|failed|dead';
    ELSE
        status := 'FAIL'; detail := 'constraint events_state_check is missing';
    END IF;
    RETURN NEXT;

    -- Indexes the workers and purge rely on
    SELECT string_agg(i, ', ') INTO missing
      FROM unnest(ARRAY['events_due_idx', 'events_lease_idx', 'events_processed_idx',
                        'dead_letter_queue_open_idx']) AS i
     WHERE to_regclass('webhooks.' || i) IS NULL;
    check_name := 'indexes_present';
    status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := COALESCE('missing: ' || missing, 'due, lease, processed and open dead-letter indexes exist');
    RETURN NEXT;

    -- Dead letters point at their event
    check_name := 'dead_letter_foreign_key';
    IF EXISTS (SELECT 1 FROM pg_constraint
                WHERE conrelid = to_regclass('webhooks.dead_letter_queue') AND contype = 'f'
                  AND confrelid = to_regclass('webhooks.events')) THEN
        status := 'PASS'; detail := 'dead_letter_queue references events';
    ELSE
        status := 'FAIL'; detail := 'dead_letter_queue has no foreign key to events';
    END IF;
    RETURN NEXT;

    -- Consistency of the data itself
    IF to_regclass('webhooks.events') IS NOT NULL THEN
        check_name := 'processing_rows_hold_a_lease';
        EXECUTE 'SELECT count(*)::text FROM webhooks.events
                  WHERE state = ''processing'' AND (lease_until IS NULL OR lease_token IS NULL)' INTO missing;
        status := CASE WHEN missing = '0' THEN 'PASS' ELSE 'FAIL' END;
        detail := missing || ' processing row(s) without a lease';
        RETURN NEXT;

        IF to_regclass('webhooks.dead_letter_queue') IS NOT NULL THEN
            check_name := 'dead_events_have_a_dead_letter';
            EXECUTE 'SELECT count(*)::text FROM webhooks.events e
                      WHERE e.state = ''dead'' AND NOT EXISTS (
                        SELECT 1 FROM webhooks.dead_letter_queue d
                         WHERE d.provider = e.provider AND d.event_id = e.event_id AND d.redriven_at IS NULL)'
                INTO missing;
            status := CASE WHEN missing = '0' THEN 'PASS' ELSE 'FAIL' END;
            detail := missing || ' dead event(s) without an open dead letter';
            RETURN NEXT;
        END IF;
    END IF;
END;
$$;

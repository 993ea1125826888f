-- Tollgate webhooks: webhooks.events partitioned by day, so retention drops whole partitions instead of
-- deleting rows one by one.
--
-- The partition key is event_day, the UTC day on which the PROVIDER created the event (Stripe "created",
-- RevenueCat "event.event_timestamp_ms", Standard Webhooks payload "timestamp"; 1970-01-01 when the payload
-- names no time). Every redelivery of an event repeats that time, so it lands in the same partition, and the
-- primary key (provider, event_id, event_day) keeps one row per event across all partitions.
--
-- Days without a partition of their own (a day whose partition retention dropped, a day nobody prepared,
-- a creation time far in the future) go to the DEFAULT partition webhooks.events_default, so a claim never
-- needs DDL or more than DML privileges. Day partitions are made ahead by PostgresIdempotencyStore.purge (today
-- and the next 7 days) through webhooks.ensure_event_partition, and dropped by it through
-- webhooks.drop_event_partition when every row in them was processed before the retention cut-off; both need
-- the role that owns webhooks.events (the one that ran the migrations). Events with no creation time
-- (1970-01-01) have a partition of their own from the start.
--
-- A database without events (every new install) is converted here. A database that already holds events
-- keeps its unpartitioned table, and the application keeps working on it (the column event_day is added,
-- nullable, in an instant); converting it is a one-time step for an operator, because the previous release
-- cannot claim on the new primary key:
--   1. deploy this release on every replica (it works on both shapes, and notices a conversion by itself);
--   2. SELECT webhooks.partition_events();   -- as the owner; locks webhooks.events while it copies
--      (README: Reliability, "Partitioned retention")

ALTER TABLE webhooks.events ADD COLUMN IF NOT EXISTS event_day date;
ALTER TABLE webhooks.dead_letter_queue ADD COLUMN IF NOT EXISTS event_day date;

COMMENT ON COLUMN webhooks.events.event_day IS
    'Tollgate: UTC day the provider created the event (1970-01-01 when unknown); the partition key.';

-- The day a stored payload names, by the same rules as the library's EventFormat: Stripe's top-level
-- "created" (epoch seconds), RevenueCat's "event.event_timestamp_ms", a Standard Webhooks ISO-8601
-- "timestamp"; 1970-01-01 otherwise (no payload, not JSON, no time).
CREATE OR REPLACE FUNCTION webhooks.payload_event_day(payload bytea)
    RETURNS date
    LANGUAGE plpgsql
    IMMUTABLE
AS $$
DECLARE
    doc jsonb;
BEGIN
    IF payload IS NULL THEN
        RETURN date '1970-01-01';
    END IF;
    BEGIN
        doc := convert_from(payload, 'UTF8')::jsonb;
        IF jsonb_typeof(doc -> 'created') = 'number' THEN
            RETURN (to_timestamp((doc ->> 'created')::numeric) AT TIME ZONE 'UTC')::date;
        ELSIF jsonb_typeof(doc -> 'event' -> 'event_timestamp_ms') = 'number' THEN
            RETURN (to_timestamp((doc -> 'event' ->> 'event_timestamp_ms')::numeric / 1000) AT TIME ZONE 'UTC')::date;
        ELSIF jsonb_typeof(doc -> 'timestamp') = 'string' THEN
            RETURN ((doc ->> 'timestamp')::timestamptz AT TIME ZONE 'UTC')::date;
        END IF;
    EXCEPTION WHEN others THEN
        RETURN date '1970-01-01';
    END;
    RETURN date '1970-01-01';
END;
$$;

-- A lease token that names its row's partition: a version-8 UUID whose first 32 bits are the day's number
-- since 1970-01-01 (90 random bits remain). Completion and failure find the row in one partition with it.
-- Rows without a day (written by a release before this one) get a random token.
CREATE OR REPLACE FUNCTION webhooks.new_lease_token(day date)
    RETURNS uuid
    LANGUAGE sql
    VOLATILE
AS $$
    SELECT CASE
        WHEN day IS NULL OR day < date '1970-01-01' OR day > date '9999-12-31' THEN gen_random_uuid()
        ELSE overlay(overlay(gen_random_uuid()::text
                             PLACING lpad(to_hex(day - date '1970-01-01'), 8, '0') FROM 1 FOR 8)
                     PLACING '8' FROM 15 FOR 1)::uuid
    END
$$;

-- The partition holding one day: webhooks.events_pYYYYMMDD, created and attached when missing, and returned.
-- Attaching takes a SHARE UPDATE EXCLUSIVE lock on webhooks.events, so claims go on meanwhile; it briefly locks
-- webhooks.dead_letter_queue (its foreign key) and the default partition (scanned: it is small), each waited
-- for at most 1 s (lock_not_available, SQLSTATE 55P03). When the default partition already holds rows of that
-- day, the day stays there (NULL is returned; retention deletes those rows one by one). Safe to call from
-- many sessions at once; needs the owner of webhooks.events.
CREATE OR REPLACE FUNCTION webhooks.ensure_event_partition(day date)
    RETURNS text
    LANGUAGE plpgsql
    VOLATILE
    SET lock_timeout = '1s'
AS $$
DECLARE
    part text := 'events_p' || to_char(day, 'YYYYMMDD');
BEGIN
    IF day IS NULL THEN
        RAISE EXCEPTION 'ensure_event_partition: day is null' USING ERRCODE = '22004';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_partitioned_table
                    WHERE partrelid = to_regclass('webhooks.events')) THEN
        RAISE EXCEPTION 'webhooks.events is not partitioned: run SELECT webhooks.partition_events() first'
            USING ERRCODE = '55000';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('tollgate.webhooks.event_partitions'));
    IF to_regclass('webhooks.' || part) IS NOT NULL THEN
        RETURN part;
    END IF;
    IF to_regclass('webhooks.events_default') IS NOT NULL
       AND EXISTS (SELECT 1 FROM webhooks.events_default WHERE event_day = day) THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE webhooks.%I (LIKE webhooks.events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                   part);
    EXECUTE format('ALTER TABLE webhooks.events ATTACH PARTITION webhooks.%I FOR VALUES FROM (%L) TO (%L)',
                   part, day, day + 1);
    EXECUTE format('COMMENT ON TABLE webhooks.%I IS %L', part,
                   'Tollgate: webhooks.events created on ' || day || ' (UTC); dropped by retention');
    RETURN part;
END;
$$;

-- Retention of one day: drops its partition when every row in it was processed before processed_before,
-- and returns true; returns false (and changes nothing) when a row is unfinished, dead or processed later
-- (PostgresIdempotencyStore.purge then deletes the old processed rows one by one instead). The check and
-- the drop happen under one lock of webhooks.events, held for milliseconds (two index probes and catalog
-- changes); each lock is waited for at most lock_wait, so claims never queue behind it for longer
-- (lock_not_available, SQLSTATE 55P03, when it could not be had). Re-driven dead letters of the day go with
-- it, as ON DELETE CASCADE removes them when rows are deleted. Needs the owner of webhooks.events.
CREATE OR REPLACE FUNCTION webhooks.drop_event_partition(day date, processed_before timestamptz,
                                                         lock_wait interval DEFAULT interval '100 milliseconds')
    RETURNS boolean
    LANGUAGE plpgsql
    VOLATILE
    SET lock_timeout = '100ms'
AS $maintenance$
DECLARE
    part text := 'events_p' || to_char(day, 'YYYYMMDD');
BEGIN
    IF day IS NULL OR processed_before IS NULL OR lock_wait IS NULL THEN
        RAISE EXCEPTION 'drop_event_partition: day, processed_before and lock_wait are required'
            USING ERRCODE = '22004';
    END IF;
    IF to_regclass('webhooks.' || part) IS NULL THEN
        RETURN false;
    END IF;
    -- every lock below (webhooks.events, then dead_letter_queue for its foreign key) is waited for at most
    -- lock_wait; the function's own SET restores the caller's lock_timeout when it returns
    PERFORM set_config('lock_timeout', greatest(1, (extract(epoch FROM lock_wait) * 1000)::bigint)::text, true);
    LOCK TABLE webhooks.events IN ACCESS EXCLUSIVE MODE;
    IF EXISTS (SELECT 1 FROM webhooks.events WHERE event_day = day AND state <> 'processed')
       OR EXISTS (SELECT 1 FROM webhooks.events
                   WHERE event_day = day AND state = 'processed' AND processed_at >= processed_before) THEN
        RETURN false;
    END IF;
    DELETE FROM webhooks.dead_letter_queue WHERE event_day = day AND redriven_at IS NOT NULL;
    EXECUTE format('ALTER TABLE webhooks.events DETACH PARTITION webhooks.%I', part);
    EXECUTE format('DROP TABLE webhooks.%I', part);
    RETURN true;
END;
$maintenance$;

-- The one-time conversion of a table holding events (see the top of this file). Locks webhooks.events for
-- the copy: claims wait (and time out with 503 after the store's timeout, so providers retry). Keeps
-- every row, state, lease and attempt count; computes event_day from the stored payload where a release
-- before this one left it empty. Dead letters keep their rows; their foreign key goes (a partition drop
-- must not cascade into them), and verify_webhook_schema() checks the partitioned shape instead.
CREATE OR REPLACE FUNCTION webhooks.partition_events()
    RETURNS text
    LANGUAGE plpgsql
    VOLATILE
AS $maintenance$
DECLARE
    copied bigint;
    parts integer;
    d date;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass('webhooks.events')) THEN
        RETURN 'webhooks.events is partitioned already';
    END IF;
    LOCK TABLE webhooks.events IN ACCESS EXCLUSIVE MODE;
    LOCK TABLE webhooks.dead_letter_queue IN SHARE ROW EXCLUSIVE MODE;
    -- dead letters learn their event's day (few rows); the events' own days are computed as they are copied
    UPDATE webhooks.dead_letter_queue d SET event_day = coalesce(e.event_day, webhooks.payload_event_day(e.payload))
      FROM webhooks.events e
     WHERE d.event_day IS NULL AND e.provider = d.provider AND e.event_id = d.event_id;
    ALTER TABLE webhooks.dead_letter_queue DROP CONSTRAINT IF EXISTS dead_letter_queue_event_fkey;
    ALTER TABLE webhooks.events RENAME TO events_unpartitioned;
    ALTER TABLE webhooks.events_unpartitioned RENAME CONSTRAINT events_pkey TO events_unpartitioned_pkey;
    ALTER INDEX IF EXISTS webhooks.events_due_idx RENAME TO events_unpartitioned_due_idx;
    ALTER INDEX IF EXISTS webhooks.events_lease_idx RENAME TO events_unpartitioned_lease_idx;
    ALTER INDEX IF EXISTS webhooks.events_processed_idx RENAME TO events_unpartitioned_processed_idx;

    CREATE TABLE webhooks.events (
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
        event_day       date        NOT NULL DEFAULT DATE '1970-01-01',
        CONSTRAINT events_pkey PRIMARY KEY (provider, event_id, event_day),
        CONSTRAINT events_state_check
            CHECK (state IN ('pending', 'processing', 'processed', 'failed', 'dead')),
        CONSTRAINT events_attempts_check CHECK (attempts >= 0),
        CONSTRAINT events_last_error_length_check CHECK (char_length(last_error) <= 1000),
        CONSTRAINT events_provider_check CHECK (char_length(provider) BETWEEN 1 AND 100),
        CONSTRAINT events_event_id_check CHECK (char_length(event_id) BETWEEN 1 AND 255)
    ) PARTITION BY RANGE (event_day);
    COMMENT ON TABLE webhooks.events IS
        'Tollgate: one row per (provider, event_id); state pending|processing|processed|failed|dead; partitioned by event_day (the day the provider created the event).';
    COMMENT ON COLUMN webhooks.events.event_day IS
        'Tollgate: UTC day the provider created the event (1970-01-01 when unknown); the partition key.';
    CREATE INDEX events_due_idx ON webhooks.events (next_attempt_at) WHERE state IN ('pending', 'failed');
    CREATE INDEX events_lease_idx ON webhooks.events (lease_until) WHERE state = 'processing';
    CREATE INDEX events_processed_idx ON webhooks.events (processed_at) WHERE state = 'processed';
    -- retention's check that a day holds nothing unfinished (drop_event_partition)
    CREATE INDEX events_unfinished_idx ON webhooks.events (event_day) WHERE state <> 'processed';
    REVOKE ALL ON webhooks.events FROM PUBLIC;
    CREATE TABLE webhooks.events_default PARTITION OF webhooks.events DEFAULT;
    COMMENT ON TABLE webhooks.events_default IS
        'Tollgate: events of days without a partition of their own; retention deletes its rows one by one';

    -- rows a release before V3 wrote have no event_day: it is read from their payload (no rewrite of the old
    -- table: the day is computed once to make the partitions, once more as each row is copied)
    FOR d IN SELECT DISTINCT coalesce(event_day, webhooks.payload_event_day(payload))
               FROM webhooks.events_unpartitioned
              UNION SELECT date '1970-01-01'
              UNION SELECT current_date + n FROM generate_series(-1, 7) AS n LOOP
        PERFORM webhooks.ensure_event_partition(d);
    END LOOP;
    INSERT INTO webhooks.events (provider, event_id, event_type, state, attempts, lease_token, lease_until,
                                 next_attempt_at, received_at, processed_at, last_error, payload, event_day)
    SELECT provider, event_id, event_type, state, attempts, lease_token, lease_until,
           next_attempt_at, received_at, processed_at, last_error, payload,
           coalesce(event_day, webhooks.payload_event_day(payload))
      FROM webhooks.events_unpartitioned;
    GET DIAGNOSTICS copied = ROW_COUNT;
    DROP TABLE webhooks.events_unpartitioned;
    ALTER TABLE webhooks.dead_letter_queue ADD CONSTRAINT dead_letter_queue_event_fkey
        FOREIGN KEY (provider, event_id, event_day) REFERENCES webhooks.events (provider, event_id, event_day)
        ON DELETE CASCADE;
    SELECT count(*) INTO parts FROM pg_inherits WHERE inhparent = 'webhooks.events'::regclass
       AND inhrelid <> 'webhooks.events_default'::regclass;
    RETURN format('webhooks.events is partitioned by event_day: %s row(s), %s day partition(s) and a default',
                  copied, parts);
END;
$maintenance$;

-- New installs start partitioned (their table is empty, so nothing is locked for long and no earlier release
-- is running on it).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhooks.events) THEN
        PERFORM webhooks.partition_events();
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION webhooks.verify_webhook_schema()
    RETURNS TABLE(check_name text, status text, detail text)
    LANGUAGE plpgsql
    STABLE
AS $$
DECLARE
    missing text;
    partitioned boolean := EXISTS (SELECT 1 FROM pg_partitioned_table
                                    WHERE partrelid = to_regclass('webhooks.events'));
    key_columns text[] := CASE WHEN partitioned THEN ARRAY['event_day', 'event_id', 'provider']
                               ELSE ARRAY['event_id', 'provider'] END;
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
                   ('payload', 'bytea'), ('event_day', 'date')) AS expected(col, typ)
     WHERE NOT EXISTS (
        SELECT 1 FROM information_schema.columns c
         WHERE c.table_schema = 'webhooks' AND c.table_name = 'events'
           AND c.column_name = expected.col AND c.data_type = expected.typ);
    check_name := 'events_columns';
    status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := COALESCE('missing or of another type: ' || missing, 'every column of webhooks.events has its type');
    RETURN NEXT;

    -- One row per (provider, event_id): the key, and in the partitioned shape the partition key it includes
    check_name := 'events_unique_provider_event_id';
    IF EXISTS (
        SELECT 1 FROM pg_constraint con
         WHERE con.conrelid = to_regclass('webhooks.events')
           AND con.contype IN ('p', 'u')
           AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
                  FROM unnest(con.conkey) k JOIN pg_attribute a
                    ON a.attrelid = con.conrelid AND a.attnum = k) = key_columns) THEN
        status := 'PASS';
        detail := CASE WHEN partitioned
            THEN 'a unique key on (provider, event_id, event_day) exists; event_day is the provider''s creation day, '
                 'repeated by every redelivery, so one event is one row across partitions'
            ELSE 'a unique key on (provider, event_id) exists' END;
    ELSE
        status := 'FAIL'; detail := 'no primary or unique key on webhooks.events (provider, event_id'
            || CASE WHEN partitioned THEN ', event_day' ELSE '' END || '): duplicates possible';
    END IF;
    RETURN NEXT;

    -- The shape: partitioned by event_day (retention drops partitions), or the earlier single table
    check_name := 'events_partitioned_by_day';
    IF partitioned THEN
        IF EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_attribute a
                     ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
                    WHERE p.partrelid = to_regclass('webhooks.events') AND p.partstrat = 'r'
                      AND p.partnatts = 1 AND a.attname = 'event_day') THEN
            status := CASE WHEN to_regclass('webhooks.events_default') IS NULL THEN 'FAIL' ELSE 'PASS' END;
            detail := 'range-partitioned by event_day: '
                || (SELECT count(*) FROM pg_inherits WHERE inhparent = to_regclass('webhooks.events')
                       AND inhrelid IS DISTINCT FROM to_regclass('webhooks.events_default'))
                || ' day partition(s)'
                || CASE WHEN to_regclass('webhooks.events_default') IS NULL
                        THEN ' and no default partition webhooks.events_default: an event of a day without a '
                             || 'partition cannot be stored'
                        ELSE ' and a default' END;
        ELSE
            status := 'FAIL'; detail := 'webhooks.events is partitioned, but not by range of event_day';
        END IF;
    ELSE
        status := 'PASS';
        detail := 'not partitioned (a table that held events before V3): retention deletes rows; '
            || 'SELECT webhooks.partition_events() converts it once every replica runs this release';
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

    -- Dead letters point at their event (in the partitioned shape by (provider, event_id, event_day))
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

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA webhooks FROM PUBLIC;

-- Tollgate webhooks: retention holds its lock on webhooks.events for less time.
--
-- drop_event_partition (V3) held an ACCESS EXCLUSIVE lock on webhooks.events for the whole drop: LOCK TABLE
-- (which locks every partition too), two checks planned over every partition, the DETACH, and the DROP,
-- whose files are removed when the transaction commits. Measured on PostgreSQL 15 with 66 partitions of
-- 11,000 rows: about 30 ms per day, while claims wait. Now the library detaches in one transaction
-- (detach_event_partition: the parent alone locked, the one partition checked through its own indexes) and
-- drops the detached table in the next (drop_detached_event_partitions), under no lock of webhooks.events.
-- A detached table that a crash left behind is dropped by the next purge. drop_event_partition keeps its
-- signature and result for operators (psql), and now does both steps in one transaction.

-- Retention of one day, first step: detaches the day's partition when every row in it was processed before
-- processed_before and returns its table's name; returns NULL (and changes nothing) when the day has no
-- partition or a row is unfinished, dead or processed later. Locks webhooks.events (the partitioned table
-- alone) for the check and the detach; every lock is waited for at most lock_wait (lock_not_available,
-- SQLSTATE 55P03). Re-driven dead letters of the day are deleted with it (their foreign key would refuse the
-- detach). Needs the owner of webhooks.events.
CREATE OR REPLACE FUNCTION webhooks.detach_event_partition(day date, processed_before timestamptz,
                                                           lock_wait interval DEFAULT interval '100 milliseconds')
    RETURNS text
    LANGUAGE plpgsql
    VOLATILE
    SET lock_timeout = '100ms'
AS $maintenance$
DECLARE
    part text := 'events_p' || to_char(day, 'YYYYMMDD');
    busy boolean;
BEGIN
    IF day IS NULL OR processed_before IS NULL OR lock_wait IS NULL THEN
        RAISE EXCEPTION 'detach_event_partition: day, processed_before and lock_wait are required'
            USING ERRCODE = '22004';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits
                    WHERE inhparent = to_regclass('webhooks.events')
                      AND inhrelid = to_regclass('webhooks.' || part)) THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('lock_timeout', greatest(1, (extract(epoch FROM lock_wait) * 1000)::bigint)::text, true);
    -- ONLY: every write to a partition goes through webhooks.events, so the parent's lock holds them all off
    LOCK TABLE ONLY webhooks.events IN ACCESS EXCLUSIVE MODE;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM webhooks.%1$I WHERE state <> ''processed'')'
                   ' OR EXISTS (SELECT 1 FROM webhooks.%1$I WHERE state = ''processed'' AND processed_at >= $1)',
                   part)
        INTO busy USING processed_before;
    IF busy THEN
        RETURN NULL;
    END IF;
    DELETE FROM webhooks.dead_letter_queue WHERE event_day = day AND redriven_at IS NOT NULL;
    EXECUTE format('ALTER TABLE webhooks.events DETACH PARTITION webhooks.%I', part);
    RETURN part;
END;
$maintenance$;

-- Retention of one day, second step: drops every table named like a day partition (webhooks.events_pYYYYMMDD)
-- that is no partition of webhooks.events any more, and returns how many. Takes no lock on webhooks.events.
-- Needs the owner of those tables.
CREATE OR REPLACE FUNCTION webhooks.drop_detached_event_partitions()
    RETURNS integer
    LANGUAGE plpgsql
    VOLATILE
    SET lock_timeout = '1s'
AS $maintenance$
DECLARE
    detached text;
    dropped integer := 0;
BEGIN
    FOR detached IN SELECT c.relname FROM pg_catalog.pg_class c
                      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'webhooks' AND c.relkind = 'r' AND NOT c.relispartition
                       AND c.relname ~ '^events_p[0-9]{8}$'
                     ORDER BY c.relname LOOP
        EXECUTE format('DROP TABLE webhooks.%I', detached);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END;
$maintenance$;

-- Retention of one day in one call, as before (for operators: SELECT webhooks.drop_event_partition(day, cut-off)):
-- both steps above in one transaction; true when the day's partition was dropped.
CREATE OR REPLACE FUNCTION webhooks.drop_event_partition(day date, processed_before timestamptz,
                                                         lock_wait interval DEFAULT interval '100 milliseconds')
    RETURNS boolean
    LANGUAGE plpgsql
    VOLATILE
    SET lock_timeout = '100ms'
AS $maintenance$
DECLARE
    part text;
BEGIN
    part := webhooks.detach_event_partition(day, processed_before, lock_wait);
    IF part IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('DROP TABLE webhooks.%I', part);
    RETURN true;
END;
$maintenance$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA webhooks FROM PUBLIC;

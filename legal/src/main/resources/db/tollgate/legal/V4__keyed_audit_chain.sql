-- Tollgate legal, version 4: a keyed chain over the audit log, for evidence that survives the database administrator.
--
-- The hash chain of V1/V3 (row_hash) can be recomputed by anyone who can write the table: disable the triggers,
-- edit rows, recompute every row_hash, and verify_legal_acceptance_integrity() still says PASS. From this version
-- each audit row written by a service configured with chain keys also carries:
--   chain_key_id  the id of the key it was written with (rotation: older keys stay known to the verifier);
--   chain_mac     HMAC-SHA256(key, previous keyed row's chain_mac ‖ the row's canonical bytes), computed in Java:
--                 the key is never sent to PostgreSQL;
--   chain_hash    SHA-256(previous keyed row's chain_hash ‖ SHA-256 of the canonical bytes), which anyone can
--                 recompute; signed checkpoints of it, kept outside the database, back a proof for a third party.
-- The canonical bytes are 'tollgate.chain.v1', 'legal', seq, event_type, subject_id, acceptance_id (or empty),
-- details::text, occurred_at (UTC, microseconds) and prev_hash, each as <UTF-8 byte length>:<text> (like V3's
-- audit_row_hash_v2). prev_hash binds the keyed chain to the plain chain of the rows before it.
-- Rows already there keep their plain hashes only; the keyed chain starts at the first row written with a key.
--
-- The writer takes this table's advisory lock, reads the head, computes the values for seq = head + 1 and sends that
-- seq; the chain trigger (still the one that assigns seq under the same lock) refuses a keyed row whose seq is not
-- the next one. Forward-only and additive: three nullable columns, one check, the trigger function replaced.

ALTER TABLE legal.audit_log ADD COLUMN IF NOT EXISTS chain_key_id text
    CHECK (chain_key_id ~ '^[A-Za-z0-9._-]{1,32}$');
ALTER TABLE legal.audit_log ADD COLUMN IF NOT EXISTS chain_mac text CHECK (chain_mac ~ '^[0-9a-f]{64}$');
ALTER TABLE legal.audit_log ADD COLUMN IF NOT EXISTS chain_hash text CHECK (chain_hash ~ '^[0-9a-f]{64}$');
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'audit_log_chain_values_together'
                   AND conrelid = 'legal.audit_log'::regclass) THEN
        ALTER TABLE legal.audit_log ADD CONSTRAINT audit_log_chain_values_together
            CHECK ((chain_key_id IS NULL) = (chain_mac IS NULL) AND (chain_mac IS NULL) = (chain_hash IS NULL));
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION legal.audit_log_chain() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    head_seq  bigint;
    head_hash text;
BEGIN
    -- Serialize appends: the lock is held until commit, so the next writer sees this row as the head.
    PERFORM pg_advisory_xact_lock(7587384251129587713);
    SELECT seq, row_hash INTO head_seq, head_hash FROM legal.audit_log ORDER BY seq DESC LIMIT 1;
    IF NEW.chain_mac IS NOT NULL AND NEW.seq IS DISTINCT FROM coalesce(head_seq, 0) + 1 THEN
        RAISE EXCEPTION 'legal.audit_log: keyed chain value computed for seq % but the next seq is % (take the advisory lock before reading the head)',
            NEW.seq, coalesce(head_seq, 0) + 1 USING ERRCODE = 'serialization_failure';
    END IF;
    NEW.seq := coalesce(head_seq, 0) + 1;
    NEW.prev_hash := coalesce(head_hash, repeat('0', 64));
    NEW.occurred_at := date_trunc('microseconds', NEW.occurred_at);
    NEW.hash_version := 2;
    NEW.row_hash := legal.audit_row_hash_v2(NEW.seq, NEW.event_type, NEW.subject_id, NEW.acceptance_id,
                                            NEW.details, NEW.occurred_at, NEW.prev_hash);
    RETURN NEW;
END;
$$;

REVOKE ALL ON FUNCTION legal.audit_log_chain() FROM PUBLIC;

-- Tollgate consent, version 3: a chain over consent records, keyed, for evidence that survives the database
-- administrator.
--
-- Records were append-only by trigger only: whoever owns the table can disable the trigger and edit a record, and
-- nothing in the database shows it. From this version every new record gets chain_seq, its position in the chain
-- (1, 2, 3, … without gaps, assigned by the trigger below under an advisory lock, so any number of writers make one
-- chain), and a record written by a service configured with chain keys also carries:
--   chain_key_id  the id of the key it was written with (rotation: older keys stay known to the verifier);
--   chain_mac     HMAC-SHA256(key, previous keyed record's chain_mac ‖ the record's canonical bytes), computed in
--                 Java: the key is never sent to PostgreSQL;
--   chain_hash    SHA-256(previous keyed record's chain_hash ‖ SHA-256 of the canonical bytes), which anyone can
--                 recompute; signed checkpoints of it, kept outside the database, back a proof for a third party.
-- The canonical bytes are 'tollgate.chain.v1', 'consent', chain_seq, subject_id, policy_version, choice,
-- purposes::text, withdrawal, source, recorded_at (UTC, microseconds), ip_hash, user_agent_hash (absent: empty),
-- each as <UTF-8 byte length>:<text>. Records already there get no chain_seq and stay as they are.
--
-- The writer takes the advisory lock, reads the head, computes the values for chain_seq = head + 1 and sends it; the
-- trigger refuses a keyed record whose chain_seq is not the next one. Forward-only and additive: four nullable
-- columns, one check, one unique index, one trigger.

ALTER TABLE consent.records ADD COLUMN IF NOT EXISTS chain_seq bigint CHECK (chain_seq >= 1);
ALTER TABLE consent.records ADD COLUMN IF NOT EXISTS chain_key_id text
    CHECK (chain_key_id ~ '^[A-Za-z0-9._-]{1,32}$');
ALTER TABLE consent.records ADD COLUMN IF NOT EXISTS chain_mac text CHECK (chain_mac ~ '^[0-9a-f]{64}$');
ALTER TABLE consent.records ADD COLUMN IF NOT EXISTS chain_hash text CHECK (chain_hash ~ '^[0-9a-f]{64}$');
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'records_chain_values_together'
                   AND conrelid = 'consent.records'::regclass) THEN
        ALTER TABLE consent.records ADD CONSTRAINT records_chain_values_together
            CHECK ((chain_key_id IS NULL) = (chain_mac IS NULL) AND (chain_mac IS NULL) = (chain_hash IS NULL)
                   AND (chain_mac IS NULL OR chain_seq IS NOT NULL));
        -- every record from now on has a place in the chain (the trigger gives it one); records already there are
        -- not checked (NOT VALID)
        ALTER TABLE consent.records ADD CONSTRAINT records_chain_seq_required CHECK (chain_seq IS NOT NULL) NOT VALID;
    END IF;
END;
$$;
CREATE UNIQUE INDEX IF NOT EXISTS records_chain_seq_idx ON consent.records (chain_seq);

CREATE OR REPLACE FUNCTION consent.records_chain() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    head_seq bigint;
BEGIN
    -- Serialize appends: the lock is held until commit, so the next writer sees this record as the head.
    PERFORM pg_advisory_xact_lock(7587384251129587714);
    SELECT max(chain_seq) INTO head_seq FROM consent.records;
    IF NEW.chain_mac IS NOT NULL AND NEW.chain_seq IS DISTINCT FROM coalesce(head_seq, 0) + 1 THEN
        RAISE EXCEPTION 'consent.records: keyed chain value computed for chain_seq % but the next is % (take the advisory lock before reading the head)',
            NEW.chain_seq, coalesce(head_seq, 0) + 1 USING ERRCODE = 'serialization_failure';
    END IF;
    NEW.chain_seq := coalesce(head_seq, 0) + 1;
    NEW.recorded_at := date_trunc('microseconds', NEW.recorded_at);
    RETURN NEW;
END;
$$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'records_chain' AND tgrelid = 'consent.records'::regclass)
    THEN
        CREATE TRIGGER records_chain BEFORE INSERT ON consent.records
            FOR EACH ROW EXECUTE FUNCTION consent.records_chain();
    END IF;
END;
$$;

-- Like every function in schema consent, nothing here is executable by PUBLIC (see V2 for a service role's grants).
REVOKE ALL ON FUNCTION consent.records_chain() FROM PUBLIC;

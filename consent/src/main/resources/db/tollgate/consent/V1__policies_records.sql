-- Tollgate consent: versioned consent policies and append-only consent records (GDPR Art. 7(1): the controller
-- must be able to show that the data subject consented). PostgreSQL 15+. Applied by
-- dev.tollgate.migrations.SchemaMigrator (module "consent"), Flyway-compatible.

CREATE SCHEMA IF NOT EXISTS consent;

-- One row per policy version "<major>.<minor>". A new major version asks every subject again; a minor one does not.
-- purposes: [{"id": "analytics", "necessary": false, "description": "…"}, …]
-- text_sha256: the SHA-256 of exactly what was shown (banner text); shown_text may keep the text itself.
CREATE TABLE consent.policies (
    version      text        PRIMARY KEY CHECK (version ~ '^[0-9]{1,6}\.[0-9]{1,6}$'),
    major        integer     GENERATED ALWAYS AS (split_part(version, '.', 1)::integer) STORED,
    minor        integer     GENERATED ALWAYS AS (split_part(version, '.', 2)::integer) STORED,
    effective_at timestamptz NOT NULL,
    purposes     jsonb       NOT NULL CHECK (jsonb_typeof(purposes) = 'array' AND jsonb_array_length(purposes) BETWEEN 1 AND 50),
    text_sha256  text        NOT NULL CHECK (text_sha256 ~ '^[0-9a-f]{64}$'),
    shown_text   text        CHECK (length(shown_text) <= 200000),
    published_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (major, minor)
);

-- One row per decision. Withdrawal is a new row (withdrawal = true), never an update.
-- purposes: {"necessary": true, "analytics": false, …}, one boolean per purpose of the policy.
CREATE TABLE consent.records (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id      text        NOT NULL CHECK (length(subject_id) BETWEEN 1 AND 256),
    policy_version  text        NOT NULL REFERENCES consent.policies (version),
    choice          text        NOT NULL CHECK (choice IN ('only_necessary', 'accept_all', 'custom')),
    purposes        jsonb       NOT NULL CHECK (jsonb_typeof(purposes) = 'object'),
    withdrawal      boolean     NOT NULL DEFAULT false,
    source          text        NOT NULL CHECK (length(source) BETWEEN 1 AND 64),
    recorded_at     timestamptz NOT NULL,
    ip_hash         text        CHECK (ip_hash ~ '^[0-9a-f]{64}$'),
    user_agent_hash text        CHECK (user_agent_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX records_subject_idx ON consent.records (subject_id, recorded_at DESC, id DESC);
CREATE INDEX records_policy_idx ON consent.records (policy_version);

CREATE FUNCTION consent.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'consent.% is append-only: % refused (record a new decision or publish a new policy version)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON consent.records
    FOR EACH ROW EXECUTE FUNCTION consent.refuse_change();
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON consent.records
    FOR EACH STATEMENT EXECUTE FUNCTION consent.refuse_change();
CREATE TRIGGER policies_immutable BEFORE UPDATE OR DELETE ON consent.policies
    FOR EACH ROW EXECUTE FUNCTION consent.refuse_change();
CREATE TRIGGER policies_no_truncate BEFORE TRUNCATE ON consent.policies
    FOR EACH STATEMENT EXECUTE FUNCTION consent.refuse_change();

REVOKE ALL ON ALL TABLES IN SCHEMA consent FROM PUBLIC;

-- Schema and data checks. Every failing check names the offending records (at most 10).
CREATE FUNCTION consent.verify_consent_schema()
    RETURNS TABLE(check_name text, status text, detail text)
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    missing text;
    bad     text;
    n       bigint;
BEGIN
    SELECT string_agg(t, ', ') INTO missing
    FROM unnest(ARRAY['policies', 'records']) AS t WHERE to_regclass('consent.' || t) IS NULL;
    check_name := 'tables_present';
    IF missing IS NULL THEN
        status := 'PASS'; detail := 'consent.policies and consent.records exist';
        RETURN NEXT;
    ELSE
        status := 'FAIL'; detail := 'missing tables: ' || missing;
        RETURN NEXT;
        RETURN;
    END IF;

    SELECT string_agg(i, ', ') INTO missing
    FROM unnest(ARRAY['records_subject_idx', 'records_policy_idx']) AS i WHERE to_regclass('consent.' || i) IS NULL;
    check_name := 'indexes_present';
    IF missing IS NULL THEN
        status := 'PASS'; detail := 'records_subject_idx, records_policy_idx exist';
    ELSE
        status := 'FAIL'; detail := 'missing indexes: ' || missing;
    END IF;
    RETURN NEXT;

    SELECT string_agg(want, ', ') INTO missing
    FROM unnest(ARRAY['records_append_only', 'records_no_truncate', 'policies_immutable', 'policies_no_truncate']) AS want
    WHERE NOT EXISTS (SELECT 1 FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
                      JOIN pg_namespace ns ON ns.oid = c.relnamespace
                      WHERE ns.nspname = 'consent' AND tg.tgname = want AND tg.tgenabled <> 'D');
    check_name := 'append_only_triggers';
    IF missing IS NULL THEN
        status := 'PASS'; detail := 'records append-only and policies immutable (UPDATE, DELETE, TRUNCATE refused)';
    ELSE
        status := 'FAIL'; detail := 'missing or disabled triggers: ' || missing;
    END IF;
    RETURN NEXT;

    SELECT count(*) INTO n FROM consent.policies;
    SELECT string_agg(p.version, ', ') INTO bad
    FROM (SELECT version FROM consent.policies
          WHERE shown_text IS NOT NULL AND text_sha256 <> encode(sha256(convert_to(shown_text, 'UTF8')), 'hex')
          ORDER BY major, minor LIMIT 10) p;
    check_name := 'policy_text_hashes';
    IF bad IS NULL THEN
        status := 'PASS'; detail := n || ' policies; every stored text matches its SHA-256';
    ELSE
        status := 'FAIL'; detail := 'shown_text does not match text_sha256 for policy versions: ' || bad;
    END IF;
    RETURN NEXT;

    SELECT string_agg('record ' || r.id, ', ') INTO bad
    FROM (SELECT r.id FROM consent.records r
          WHERE NOT EXISTS (SELECT 1 FROM consent.policies p WHERE p.version = r.policy_version)
          ORDER BY r.id LIMIT 10) r;
    check_name := 'records_have_policy';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'every record names a published policy version';
    ELSE
        status := 'FAIL'; detail := 'records without a policy: ' || bad;
    END IF;
    RETURN NEXT;

    SELECT string_agg('record ' || r.id, ', ') INTO bad
    FROM (SELECT r.id FROM consent.records r
          WHERE r.choice NOT IN ('only_necessary', 'accept_all', 'custom') OR jsonb_typeof(r.purposes) <> 'object'
          ORDER BY r.id LIMIT 10) r;
    check_name := 'records_valid_choice';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'every record has choice only_necessary, accept_all or custom';
    ELSE
        status := 'FAIL'; detail := 'invalid choice or purposes in: ' || bad;
    END IF;
    RETURN NEXT;

    -- Per record: the policy's purposes (id, necessary) against the record's booleans.
    SELECT string_agg('record ' || x.id, ', ') INTO bad
    FROM (SELECT r.id FROM consent.records r JOIN consent.policies p ON p.version = r.policy_version
          WHERE jsonb_typeof(r.purposes) = 'object'
            AND ((SELECT coalesce(array_agg(k ORDER BY k), '{}') FROM jsonb_object_keys(r.purposes) k)
                 IS DISTINCT FROM
                 (SELECT coalesce(array_agg(e->>'id' ORDER BY e->>'id'), '{}') FROM jsonb_array_elements(p.purposes) e)
                 OR EXISTS (SELECT 1 FROM jsonb_each(r.purposes) kv WHERE jsonb_typeof(kv.value) <> 'boolean'))
          ORDER BY r.id LIMIT 10) x;
    check_name := 'record_purposes_match_policy';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'every record has one boolean for each purpose of its policy';
    ELSE
        status := 'FAIL'; detail := 'purposes differ from the policy''s in: ' || bad;
    END IF;
    RETURN NEXT;

    SELECT string_agg('record ' || x.id, ', ') INTO bad
    FROM (SELECT r.id FROM consent.records r JOIN consent.policies p ON p.version = r.policy_version
          WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(p.purposes) e
                        WHERE (e->>'necessary')::boolean AND (r.purposes->(e->>'id')) IS DISTINCT FROM 'true'::jsonb)
          ORDER BY r.id LIMIT 10) x;
    check_name := 'necessary_purposes_granted';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'necessary purposes are granted in every record';
    ELSE
        status := 'FAIL'; detail := 'a necessary purpose is not granted in: ' || bad;
    END IF;
    RETURN NEXT;

    SELECT string_agg('record ' || x.id, ', ') INTO bad
    FROM (SELECT r.id FROM consent.records r JOIN consent.policies p ON p.version = r.policy_version
          WHERE (r.choice = 'accept_all' AND EXISTS (
                     SELECT 1 FROM jsonb_array_elements(p.purposes) e
                     WHERE (r.purposes->(e->>'id')) IS DISTINCT FROM 'true'::jsonb))
             OR (r.choice = 'only_necessary' AND EXISTS (
                     SELECT 1 FROM jsonb_array_elements(p.purposes) e
                     WHERE NOT (e->>'necessary')::boolean AND (r.purposes->(e->>'id')) IS DISTINCT FROM 'false'::jsonb))
          ORDER BY r.id LIMIT 10) x;
    check_name := 'choice_matches_purposes';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'accept_all grants every purpose, only_necessary grants only necessary ones';
    ELSE
        status := 'FAIL'; detail := 'choice and purposes disagree in: ' || bad;
    END IF;
    RETURN NEXT;

    SELECT string_agg('record ' || x.id, ', ') INTO bad
    FROM (SELECT r.id FROM consent.records r
          WHERE (r.ip_hash IS NOT NULL AND r.ip_hash !~ '^[0-9a-f]{64}$')
             OR (r.user_agent_hash IS NOT NULL AND r.user_agent_hash !~ '^[0-9a-f]{64}$')
          ORDER BY r.id LIMIT 10) x;
    check_name := 'fingerprints_hashed';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'IP addresses and user agents are stored only as 64-digit hashes';
    ELSE
        status := 'FAIL'; detail := 'a fingerprint is not a hash (raw personal data?) in: ' || bad;
    END IF;
    RETURN NEXT;
END;
$$;

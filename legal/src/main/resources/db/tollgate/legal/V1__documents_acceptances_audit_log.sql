-- Tollgate legal: versioned legal documents, acceptance records, and a hash-chained audit log.
-- PostgreSQL 15+. Applied by dev.tollgate.migrations.SchemaMigrator (module "legal"), Flyway-compatible.

CREATE SCHEMA IF NOT EXISTS legal;

-- One row per published version of a document. Published versions are immutable: publish a new version.
CREATE TABLE legal.documents (
    kind                  text        NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_-]{0,31}$'),
    version               text        NOT NULL CHECK (version ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$'),
    title                 text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    language              text        NOT NULL CHECK (language ~ '^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$'),
    effective_at          timestamptz NOT NULL,
    content               text        NOT NULL CHECK (length(content) BETWEEN 1 AND 1000000),
    content_sha256        text        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    requires_reacceptance boolean     NOT NULL,
    published_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, version)
);
CREATE INDEX documents_kind_effective_idx ON legal.documents (kind, effective_at DESC);

-- One row per acceptance of one document version by one user. Append-only.
CREATE TABLE legal.acceptances (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          text        NOT NULL CHECK (length(user_id) BETWEEN 1 AND 256),
    document_kind    text        NOT NULL,
    document_version text        NOT NULL,
    content_sha256   text        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    accepted_at      timestamptz NOT NULL,
    source           text        NOT NULL CHECK (length(source) BETWEEN 1 AND 64),
    ip_hash          text        CHECK (ip_hash ~ '^[0-9a-f]{64}$'),
    user_agent_hash  text        CHECK (user_agent_hash ~ '^[0-9a-f]{64}$'),
    FOREIGN KEY (document_kind, document_version) REFERENCES legal.documents (kind, version)
);
CREATE INDEX acceptances_user_idx ON legal.acceptances (user_id, document_kind, accepted_at DESC, id DESC);

-- The audit log. Each row stores row_hash, the SHA-256 of its own content including prev_hash, the row_hash
-- of the row before it (64 zeros for the first row). seq, prev_hash and row_hash are set by a trigger that
-- serializes appends with a transaction-scoped advisory lock, so concurrent writers produce one chain.
-- Limit: deleting the newest rows leaves a shorter chain that still verifies; compare the head with an
-- external checkpoint (legal.verify_audit_checkpoint) to detect that.
CREATE TABLE legal.audit_log (
    seq           bigint      PRIMARY KEY,
    event_type    text        NOT NULL CHECK (event_type ~ '^[a-z][a-z0-9_.]{0,63}$'),
    subject_id    text        NOT NULL CHECK (length(subject_id) BETWEEN 1 AND 256),
    acceptance_id bigint      REFERENCES legal.acceptances (id),
    details       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    occurred_at   timestamptz NOT NULL,
    prev_hash     text        NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    row_hash      text        NOT NULL CHECK (row_hash ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX audit_log_acceptance_idx ON legal.audit_log (acceptance_id) WHERE acceptance_id IS NOT NULL;

-- The hash of one audit row's content. Java's in-memory repository computes the same string.
CREATE FUNCTION legal.audit_row_hash(p_seq bigint, p_event_type text, p_subject_id text, p_acceptance_id bigint,
                                     p_details jsonb, p_occurred_at timestamptz, p_prev_hash text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    RETURN encode(sha256(convert_to(
        p_seq::text || '|' || p_event_type || '|' || p_subject_id || '|' || coalesce(p_acceptance_id::text, '') || '|'
            || p_details::text || '|'
            || to_char(p_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || p_prev_hash,
        'UTF8')), 'hex');
END;
$$;

CREATE FUNCTION legal.audit_log_chain() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    head_seq  bigint;
    head_hash text;
BEGIN
    -- Serialize appends: the lock is held until commit, so the next writer sees this row as the head.
    PERFORM pg_advisory_xact_lock(7587384251129587713);
    SELECT seq, row_hash INTO head_seq, head_hash FROM legal.audit_log ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(head_seq, 0) + 1;
    NEW.prev_hash := coalesce(head_hash, repeat('0', 64));
    NEW.occurred_at := date_trunc('microseconds', NEW.occurred_at);
    NEW.row_hash := legal.audit_row_hash(NEW.seq, NEW.event_type, NEW.subject_id, NEW.acceptance_id,
                                         NEW.details, NEW.occurred_at, NEW.prev_hash);
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON legal.audit_log
    FOR EACH ROW EXECUTE FUNCTION legal.audit_log_chain();

CREATE FUNCTION legal.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'legal.% is append-only: % refused (publish a new version or append a new row instead)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER documents_immutable BEFORE UPDATE OR DELETE ON legal.documents
    FOR EACH ROW EXECUTE FUNCTION legal.refuse_change();
CREATE TRIGGER documents_no_truncate BEFORE TRUNCATE ON legal.documents
    FOR EACH STATEMENT EXECUTE FUNCTION legal.refuse_change();
CREATE TRIGGER acceptances_append_only BEFORE UPDATE OR DELETE ON legal.acceptances
    FOR EACH ROW EXECUTE FUNCTION legal.refuse_change();
CREATE TRIGGER acceptances_no_truncate BEFORE TRUNCATE ON legal.acceptances
    FOR EACH STATEMENT EXECUTE FUNCTION legal.refuse_change();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON legal.audit_log
    FOR EACH ROW EXECUTE FUNCTION legal.refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON legal.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION legal.refuse_change();

REVOKE ALL ON ALL TABLES IN SCHEMA legal FROM PUBLIC;

-- Integrity of the legal records. Every check names the offending rows (at most 10) when it fails.
CREATE FUNCTION legal.verify_legal_acceptance_integrity()
    RETURNS TABLE(check_name text, status text, detail text)
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    missing   text;
    bad       text;
    n         bigint;
    r         record;
    expected_prev text := repeat('0', 64);
    expected_seq  bigint := 1;
    problems  text[] := '{}';
BEGIN
    SELECT string_agg(t, ', ') INTO missing
    FROM unnest(ARRAY['documents', 'acceptances', 'audit_log']) AS t
    WHERE to_regclass('legal.' || t) IS NULL;
    check_name := 'tables_present';
    IF missing IS NULL THEN
        status := 'PASS'; detail := 'legal.documents, legal.acceptances, legal.audit_log exist';
        RETURN NEXT;
    ELSE
        status := 'FAIL'; detail := 'missing tables: ' || missing;
        RETURN NEXT;
        RETURN;
    END IF;

    SELECT string_agg(want, ', ') INTO missing
    FROM unnest(ARRAY['documents_immutable', 'acceptances_append_only', 'audit_log_append_only',
                      'audit_log_chain', 'documents_no_truncate', 'acceptances_no_truncate',
                      'audit_log_no_truncate']) AS want
    WHERE NOT EXISTS (SELECT 1 FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
                      JOIN pg_namespace ns ON ns.oid = c.relnamespace
                      WHERE ns.nspname = 'legal' AND tg.tgname = want AND tg.tgenabled <> 'D');
    check_name := 'append_only_triggers';
    IF missing IS NULL THEN
        status := 'PASS'; detail := 'documents immutable, acceptances and audit_log append-only, chain trigger enabled';
    ELSE
        status := 'FAIL'; detail := 'missing or disabled triggers: ' || missing;
    END IF;
    RETURN NEXT;

    SELECT string_agg(format('%s %s', d.kind, d.version), ', '), count(*) INTO bad, n
    FROM (SELECT kind, version FROM legal.documents
          WHERE content_sha256 <> encode(sha256(convert_to(content, 'UTF8')), 'hex')
          ORDER BY kind, version LIMIT 10) d;
    check_name := 'document_hashes';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'every document''s content matches its SHA-256';
    ELSE
        status := 'FAIL'; detail := 'content does not match content_sha256 for documents: ' || bad;
    END IF;
    RETURN NEXT;

    SELECT string_agg('acceptance ' || a.id, ', ') INTO bad
    FROM (SELECT a.id FROM legal.acceptances a
          LEFT JOIN legal.documents d ON d.kind = a.document_kind AND d.version = a.document_version
          WHERE d.kind IS NULL OR d.content_sha256 <> a.content_sha256
          ORDER BY a.id LIMIT 10) a;
    check_name := 'acceptance_hashes_match_documents';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'every acceptance names an existing document version with the same hash';
    ELSE
        status := 'FAIL'; detail := 'document missing or hash differs for: ' || bad;
    END IF;
    RETURN NEXT;

    SELECT string_agg('acceptance ' || a.id, ', ') INTO bad
    FROM (SELECT a.id FROM legal.acceptances a
          WHERE NOT EXISTS (SELECT 1 FROM legal.audit_log l
                            WHERE l.acceptance_id = a.id AND l.event_type = 'legal.acceptance'
                              AND l.subject_id = a.user_id)
          ORDER BY a.id LIMIT 10) a;
    check_name := 'acceptances_have_audit_rows';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'every acceptance has its legal.acceptance audit row';
    ELSE
        status := 'FAIL'; detail := 'no matching audit row for: ' || bad;
    END IF;
    RETURN NEXT;

    SELECT string_agg('audit row ' || l.seq, ', ') INTO bad
    FROM (SELECT l.seq FROM legal.audit_log l
          WHERE l.event_type = 'legal.acceptance'
            AND (l.acceptance_id IS NULL
                 OR NOT EXISTS (SELECT 1 FROM legal.acceptances a WHERE a.id = l.acceptance_id))
          ORDER BY l.seq LIMIT 10) l;
    check_name := 'audit_rows_reference_acceptances';
    IF bad IS NULL THEN
        status := 'PASS'; detail := 'every legal.acceptance audit row references an acceptance';
    ELSE
        status := 'FAIL'; detail := 'audit rows without their acceptance: ' || bad;
    END IF;
    RETURN NEXT;

    n := 0;
    FOR r IN SELECT * FROM legal.audit_log ORDER BY seq LOOP
        n := n + 1;
        IF r.seq <> expected_seq THEN
            problems := problems || format('row %s: expected seq %s (rows missing or reordered)', r.seq, expected_seq);
        END IF;
        IF r.prev_hash <> expected_prev THEN
            problems := problems || format('row %s: prev_hash does not match the row before it', r.seq);
        END IF;
        IF r.row_hash <> legal.audit_row_hash(r.seq, r.event_type, r.subject_id, r.acceptance_id, r.details,
                                              r.occurred_at, r.prev_hash) THEN
            problems := problems || format('row %s: content does not match row_hash (edited)', r.seq);
        END IF;
        expected_prev := r.row_hash;
        expected_seq := r.seq + 1;
    END LOOP;
    check_name := 'audit_chain_links';
    IF cardinality(problems) = 0 THEN
        status := 'PASS';
        -- Limit: deleting the newest rows cannot be seen here; legal.verify_audit_checkpoint compares an exported head.
        detail := format('%s rows chain from genesis; head %s', n,
                         CASE WHEN n = 0 THEN 'none' ELSE format('seq %s hash %s', expected_seq - 1, expected_prev) END)
                  || ' (deleted newest rows are only detected against an external checkpoint)';
    ELSE
        status := 'FAIL';
        detail := array_to_string(problems[1:10], '; ')
                  || CASE WHEN cardinality(problems) > 10 THEN format(' (and %s more)', cardinality(problems) - 10) ELSE '' END;
    END IF;
    RETURN NEXT;

END;
$$;

-- Compares the chain with a head exported earlier (seq and row_hash): the row must still be there, unchanged.
CREATE FUNCTION legal.verify_audit_checkpoint(p_seq bigint, p_row_hash text)
    RETURNS TABLE(check_name text, status text, detail text)
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    found_hash text;
    head bigint;
BEGIN
    SELECT row_hash INTO found_hash FROM legal.audit_log WHERE seq = p_seq;
    SELECT max(seq) INTO head FROM legal.audit_log;
    check_name := 'audit_checkpoint';
    IF p_seq = 0 THEN
        status := 'PASS'; detail := 'the checkpoint was taken on an empty log';
    ELSIF found_hash IS NULL THEN
        status := 'FAIL';
        detail := format('checkpoint row %s is missing (head is now %s): newest rows were deleted', p_seq,
                         coalesce(head::text, 'empty'));
    ELSIF found_hash <> p_row_hash THEN
        status := 'FAIL'; detail := format('row %s no longer has the checkpoint hash: the chain was rewritten', p_seq);
    ELSE
        status := 'PASS'; detail := format('row %s still has the checkpoint hash; head is now %s', p_seq, head);
    END IF;
    RETURN NEXT;
END;
$$;

-- Tollgate legal, version 3: audit row hashes with length-prefixed fields, and an acceptance cross-check by every
-- field.
--
-- V1 hashed an audit row as its fields joined with '|'. subject_id is free text, so the same string can come from
-- different rows (event type 'legal.acceptance' with subject 'u|x', and event type 'legal.acceptance|u' with subject
-- 'x', hash alike; only the event_type CHECK keeps the second out of the table). From this version a row's hash is
-- the SHA-256 of 'tollgate.legal.audit.v2' and then each field as <UTF-8 byte length>:<text>, which one string can
-- only be read one way (legal.audit_row_hash_v2). Rows keep the formula they were written with: the new column
-- hash_version is 1 for every row already there (they still verify with legal.audit_row_hash) and 2 for every row
-- written from now on (the chain trigger sets it, whatever the writer sends). Along the chain the version never
-- goes down: a version-1 row after a version-2 row is reported as a downgrade.
--
-- verify_legal_acceptance_integrity() now matches each acceptance with its audit row by id, user, document kind
-- and version, content hash and time; before, id and user alone passed, so an acceptance whose version or time was
-- rewritten went unnoticed. Every other check is V1's. Forward-only: the functions are replaced, nothing is
-- dropped, and existing rows are not touched (the new column's default fills them without an UPDATE).
--
-- A non-owner service role that records acceptances calls legal.audit_row_hash_v2() through the chain trigger:
-- grant it again after this migration (GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA legal TO app; see V2).

ALTER TABLE legal.audit_log ADD COLUMN IF NOT EXISTS hash_version smallint NOT NULL DEFAULT 1
    CHECK (hash_version IN (1, 2));

CREATE OR REPLACE FUNCTION legal.audit_row_hash_v2(p_seq bigint, p_event_type text, p_subject_id text,
                                                   p_acceptance_id bigint, p_details jsonb,
                                                   p_occurred_at timestamptz, p_prev_hash text)
    RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT encode(sha256(convert_to('tollgate.legal.audit.v2' || string_agg(
               octet_length(convert_to(f, 'UTF8'))::text || ':' || f, '' ORDER BY i), 'UTF8')), 'hex')
    FROM unnest(ARRAY[p_seq::text, p_event_type, p_subject_id, coalesce(p_acceptance_id::text, ''),
                      p_details::text,
                      to_char(p_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_prev_hash])
         WITH ORDINALITY AS t(f, i)
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
    NEW.seq := coalesce(head_seq, 0) + 1;
    NEW.prev_hash := coalesce(head_hash, repeat('0', 64));
    NEW.occurred_at := date_trunc('microseconds', NEW.occurred_at);
    NEW.hash_version := 2;
    NEW.row_hash := legal.audit_row_hash_v2(NEW.seq, NEW.event_type, NEW.subject_id, NEW.acceptance_id,
                                            NEW.details, NEW.occurred_at, NEW.prev_hash);
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION legal.verify_legal_acceptance_integrity()
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
    newest_version smallint := 1;
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

    -- Each acceptance against its audit row, field by field: the row that names it (acceptance_id) must be a
    -- legal.acceptance row about the same user, document kind and version, content hash and time.
    SELECT string_agg(x.what, ', ') INTO bad
    FROM (SELECT CASE WHEN l.seq IS NULL THEN 'acceptance ' || a.id || ' (no audit row)'
                      ELSE 'acceptance ' || a.id || ' (audit row ' || l.seq || ' differs in '
                           || concat_ws(', ',
                                  CASE WHEN l.event_type IS DISTINCT FROM 'legal.acceptance' THEN 'event_type' END,
                                  CASE WHEN l.subject_id IS DISTINCT FROM a.user_id THEN 'subject' END,
                                  CASE WHEN l.details->>'document_kind' IS DISTINCT FROM a.document_kind
                                       THEN 'document_kind' END,
                                  CASE WHEN l.details->>'document_version' IS DISTINCT FROM a.document_version
                                       THEN 'document_version' END,
                                  CASE WHEN l.details->>'content_sha256' IS DISTINCT FROM a.content_sha256
                                       THEN 'content_sha256' END,
                                  CASE WHEN l.occurred_at IS DISTINCT FROM a.accepted_at THEN 'accepted_at' END)
                           || ')' END AS what
          FROM legal.acceptances a
          LEFT JOIN legal.audit_log l ON l.acceptance_id = a.id
          WHERE l.seq IS NULL
             OR l.event_type IS DISTINCT FROM 'legal.acceptance'
             OR l.subject_id IS DISTINCT FROM a.user_id
             OR l.details->>'document_kind' IS DISTINCT FROM a.document_kind
             OR l.details->>'document_version' IS DISTINCT FROM a.document_version
             OR l.details->>'content_sha256' IS DISTINCT FROM a.content_sha256
             OR l.occurred_at IS DISTINCT FROM a.accepted_at
          ORDER BY a.id LIMIT 10) x;
    check_name := 'acceptances_have_audit_rows';
    IF bad IS NULL THEN
        status := 'PASS';
        detail := 'every acceptance has its legal.acceptance audit row with the same user, document version, hash'
                  || ' and time';
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
        IF r.hash_version < newest_version THEN
            problems := problems || format('row %s: hash version %s after a row of version %s (downgraded)',
                                           r.seq, r.hash_version, newest_version);
        END IF;
        newest_version := greatest(newest_version, r.hash_version);
        IF r.seq <> expected_seq THEN
            problems := problems || format('row %s: expected seq %s (rows missing or reordered)', r.seq, expected_seq);
        END IF;
        IF r.prev_hash <> expected_prev THEN
            problems := problems || format('row %s: prev_hash does not match the row before it', r.seq);
        END IF;
        -- each row with the formula it was written with (parenthesised: plpgsql's IF ends at the first THEN)
        IF r.row_hash <> (CASE WHEN r.hash_version = 1
                               THEN legal.audit_row_hash(r.seq, r.event_type, r.subject_id, r.acceptance_id, r.details,
                                                         r.occurred_at, r.prev_hash)
                               ELSE legal.audit_row_hash_v2(r.seq, r.event_type, r.subject_id, r.acceptance_id,
                                                            r.details, r.occurred_at, r.prev_hash) END) THEN
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

-- Like every function in schema legal, nothing here is executable by PUBLIC (see V2 for a service role's grants).
REVOKE ALL ON FUNCTION legal.audit_row_hash_v2(bigint, text, text, bigint, jsonb, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION legal.verify_legal_acceptance_integrity() FROM PUBLIC;
REVOKE ALL ON FUNCTION legal.audit_log_chain() FROM PUBLIC;

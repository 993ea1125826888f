-- Tollgate final hardening, version 3: a new check (23, tenant_policies_deny_when_unset) proves that the billing
-- tenant policies deny when no tenant is named: each policy on billing.tenant_billing, billing.customers and
-- billing.audit_log is evaluated on a probe row of its table while tollgate.tenant_id and tollgate.cross_tenant
-- are empty (the function's own SET clauses, which end with the call), and a table whose policies would show or
-- accept the row FAILs. V2's fail-open policies (every row while tollgate.tenant_id was unset or empty) FAIL it;
-- billing's V3 policies pass. Every other check is V2's, unchanged. Migrations are forward-only: this file
-- replaces the function; V1 and V2 stay as they were applied.

CREATE OR REPLACE FUNCTION tollgate.verify_final_hardening()
    RETURNS TABLE(check_name text, status text, detail text)
    LANGUAGE plpgsql
    STABLE
    SET search_path = pg_catalog, pg_temp
    SET tollgate.tenant_id = ''
    SET tollgate.cross_tenant = ''
AS $$
DECLARE
    tollgate_schemas constant text[] := ARRAY['tollgate', 'webhooks', 'billing', 'consent', 'legal'];
    module_schemas   constant text[] := ARRAY['webhooks', 'billing', 'consent', 'legal'];
    tenant_tables    constant text[] := ARRAY['billing.tenant_billing', 'billing.customers', 'billing.audit_log'];
    -- the first migration of each module: Flyway records it as its "script", Liquibase (Tollgate's changelogs)
    -- as the change set's "id"
    first_scripts constant text[][] := ARRAY[['webhooks', 'V1__webhook_events.sql'], ['billing', 'V1__billing_state.sql'],
                                             ['consent', 'V1__policies_records.sql'],
                                             ['legal', 'V1__documents_acceptances_audit_log.sql']];
    installed text[];
    history_tables text[] := '{}';
    unreadable text[] := '{}';
    recorded  text[] := '{}';
    tool      text;
    found     int := 0;
    scripts   text[];
    history   text;
    missing   text;
    bad       text;
    n         bigint;
    want      record;
    pol       record;
    tbl       text;
    ok        boolean;
    reads     boolean;
    writes    boolean;
    read_limits  boolean;
    write_limits boolean;
    unevaluated  text;
    probe     constant jsonb := jsonb_build_object('tenant_id', 'tollgate-hardening-probe');
BEGIN
    SELECT coalesce(array_agg(nspname::text ORDER BY nspname), '{}') INTO installed
      FROM pg_namespace WHERE nspname = ANY (tollgate_schemas);

    -- 1. Migration history, whichever tool applied the migrations: Tollgate's SchemaMigrator
    -- (tollgate.schema_history), Flyway (one history table per module) or Liquibase (a changelog table). History
    -- tables are found by their shape (columns and types), wherever they are and whatever they are called; one
    -- the caller may not read is reported, not allowed to abort the other checks.
    check_name := 'schema_history_present';
    FOR history, tool, n IN
        SELECT format('%I.%I', ns.nspname, c.relname),
               CASE WHEN ns.nspname = 'tollgate' AND c.relname = 'schema_history' THEN 'tollgate'
                    WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'installed_rank'
                                    AND NOT a.attisdropped) THEN 'flyway'
                    ELSE 'liquibase' END,
               CASE WHEN has_schema_privilege(ns.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')
                    THEN 1 ELSE 0 END
          FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p')
           AND ((ns.nspname = 'tollgate' AND c.relname = 'schema_history')
             OR (SELECT count(*) FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                    AND ((a.attname = 'installed_rank' AND a.atttypid = 'int4'::regtype)
                      OR (a.attname = 'version')
                      OR (a.attname = 'checksum')
                      OR (a.attname = 'script' AND a.atttypid IN ('text'::regtype, 'varchar'::regtype))
                      OR (a.attname = 'success' AND a.atttypid = 'bool'::regtype))) = 5
             OR (SELECT count(*) FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                    AND ((a.attname = 'id' AND a.atttypid IN ('text'::regtype, 'varchar'::regtype))
                      OR (a.attname = 'author' AND a.atttypid IN ('text'::regtype, 'varchar'::regtype))
                      OR (a.attname = 'filename' AND a.atttypid IN ('text'::regtype, 'varchar'::regtype))
                      OR (a.attname = 'orderexecuted' AND a.atttypid = 'int4'::regtype)
                      OR (a.attname = 'exectype' AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)))) = 5)
         ORDER BY 1
    LOOP
        IF n = 0 THEN
            unreadable := unreadable || history;
            CONTINUE;
        END IF;
        BEGIN
            IF tool = 'tollgate' THEN
                -- SchemaMigrator records modules, not file names: a module with any row counts as its V1
                EXECUTE 'SELECT array_agg(DISTINCT module::text) FROM tollgate.schema_history' INTO scripts;
                SELECT array_agg(first_scripts[i][2]) INTO scripts
                  FROM generate_subscripts(first_scripts, 1) i WHERE first_scripts[i][1] = ANY (coalesce(scripts, '{}'));
            ELSIF tool = 'flyway' THEN
                EXECUTE format('SELECT array_agg(script::text) FROM %s WHERE success', history) INTO scripts;
            ELSE
                EXECUTE format('SELECT array_agg(id::text) FROM %s WHERE exectype IN (''EXECUTED'', ''RERAN'', ''MARK_RAN'')',
                               history) INTO scripts;
            END IF;
            found := found + 1;
            -- named in the detail only when it records a Tollgate module (not the application's own history)
            IF scripts && ARRAY(SELECT first_scripts[i][2] FROM generate_subscripts(first_scripts, 1) i) THEN
                history_tables := history_tables || history;
            END IF;
            recorded := recorded || coalesce(scripts, '{}');
        EXCEPTION WHEN OTHERS THEN
            unreadable := unreadable || history;
        END;
    END LOOP;
    SELECT string_agg(first_scripts[i][1], ', ' ORDER BY first_scripts[i][1]) INTO missing
      FROM generate_subscripts(first_scripts, 1) i
     WHERE first_scripts[i][1] = ANY (installed) AND NOT (first_scripts[i][2] = ANY (recorded));
    IF found = 0 AND cardinality(unreadable) = 0 THEN
        status := 'FAIL';
        detail := 'no migration history: neither tollgate.schema_history nor a Flyway or Liquibase history table';
    ELSIF missing IS NULL THEN
        status := 'PASS';
        detail := 'every installed module''s migrations are recorded in ' || array_to_string(history_tables, ', ');
    ELSIF cardinality(unreadable) > 0 THEN
        status := 'WARN';
        detail := 'no readable record of migrations for: ' || missing || '; history tables that '
                  || current_user || ' may not read: ' || array_to_string(unreadable, ', ');
    ELSE
        status := 'FAIL';
        detail := 'schemas without recorded migrations: ' || missing;
    END IF;
    RETURN NEXT;

    -- 2. Modules installed
    SELECT string_agg(s, ', ' ORDER BY s) INTO missing FROM unnest(module_schemas) s WHERE s <> ALL (installed);
    check_name := 'module_schemas_present';
    status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'WARN' END;
    detail := coalesce('not installed: ' || missing || ' (fine if the service does not use them)',
                       'webhooks, billing, consent and legal are installed');
    RETURN NEXT;

    -- 3. Every verifier function present, with the verifier signature
    SELECT string_agg(f, ', ' ORDER BY f) INTO missing
      FROM unnest(ARRAY['webhooks.verify_webhook_schema', 'billing.verify_billing_schema',
                        'consent.verify_consent_schema', 'legal.verify_legal_acceptance_integrity',
                        'tollgate.verify_final_hardening']) f
     WHERE split_part(f, '.', 1) = ANY (installed)
       AND NOT EXISTS (
            SELECT 1 FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace
             WHERE ns.nspname = split_part(f, '.', 1) AND p.proname = split_part(f, '.', 2)
               AND p.pronargs = 0 AND p.proretset
               AND p.proallargtypes = ARRAY['text'::regtype, 'text'::regtype, 'text'::regtype]::oid[]
               AND p.proargnames = ARRAY['check_name', 'status', 'detail']);
    check_name := 'verifier_functions_present';
    status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('missing or with another signature: ' || missing,
                       'every installed module has its verifier RETURNS TABLE(check_name, status, detail)');
    RETURN NEXT;

    -- 4. Row-level security on the tenant tables
    SELECT string_agg(t, ', ' ORDER BY t) INTO bad FROM unnest(tenant_tables) t
     WHERE to_regclass(t) IS NULL
        OR NOT (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = to_regclass(t));
    check_name := 'rls_enabled_on_tenant_tables';
    IF NOT 'billing' = ANY (installed) THEN
        status := 'WARN'; detail := 'billing is not installed: no tenant tables';
    ELSE
        status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
        detail := coalesce('row-level security disabled or table missing: ' || bad,
                           'row-level security enabled on ' || array_to_string(tenant_tables, ', '));
    END IF;
    RETURN NEXT;

    -- 5. A tenant policy on each of them
    SELECT string_agg(t, ', ' ORDER BY t) INTO bad FROM unnest(tenant_tables) t
     WHERE NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = to_regclass(t)
                          AND pg_get_expr(p.polqual, p.polrelid) LIKE '%tollgate.tenant_id%');
    check_name := 'tenant_policies_present';
    IF NOT 'billing' = ANY (installed) THEN
        status := 'WARN'; detail := 'billing is not installed: no tenant tables';
    ELSE
        status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
        detail := coalesce('no policy on tollgate.tenant_id for: ' || bad,
                           'each tenant table restricts rows to the session''s tollgate.tenant_id when it is set');
    END IF;
    RETURN NEXT;

    -- 6. No PUBLIC privileges on the schemas
    SELECT string_agg(DISTINCT ns.nspname || ' (' || a.privilege_type || ')', ', ') INTO bad
      FROM pg_namespace ns, aclexplode(coalesce(ns.nspacl, acldefault('n', ns.nspowner))) a
     WHERE ns.nspname = ANY (installed) AND a.grantee = 0;
    check_name := 'no_public_schema_privileges';
    status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('PUBLIC has privileges on schemas: ' || bad || ' (REVOKE ALL ON SCHEMA … FROM PUBLIC)',
                       'no Tollgate schema grants anything to PUBLIC');
    RETURN NEXT;

    -- 7. No PUBLIC privileges on tables, views and sequences
    SELECT string_agg(DISTINCT ns.nspname || '.' || c.relname || ' (' || a.privilege_type || ')', ', ') INTO bad
      FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace,
           aclexplode(coalesce(c.relacl, acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))) a
     WHERE ns.nspname = ANY (installed) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND a.grantee = 0;
    check_name := 'no_public_table_grants';
    status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('PUBLIC has privileges on: ' || left(bad, 500) || ' (REVOKE ALL ON … FROM PUBLIC)',
                       'no Tollgate table, view or sequence grants anything to PUBLIC');
    RETURN NEXT;

    -- 8. No PUBLIC EXECUTE on functions (PostgreSQL grants it by default: migrations revoke it)
    SELECT string_agg(DISTINCT ns.nspname || '.' || p.proname || '()', ', ') INTO bad
      FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace,
           aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
     WHERE ns.nspname = ANY (installed) AND a.grantee = 0;
    check_name := 'no_public_function_execute';
    status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('PUBLIC may execute: ' || left(bad, 500) || ' (REVOKE ALL ON FUNCTION … FROM PUBLIC)',
                       'no Tollgate function is executable by PUBLIC');
    RETURN NEXT;

    -- 9. SECURITY DEFINER only with a fixed search_path
    SELECT string_agg(ns.nspname || '.' || p.proname || '()', ', ') INTO bad
      FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace
     WHERE ns.nspname = ANY (installed) AND p.prosecdef
       AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) cfg WHERE cfg LIKE 'search_path=%');
    check_name := 'security_definer_search_path';
    status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('SECURITY DEFINER without SET search_path (hijackable): ' || bad,
                       'every SECURITY DEFINER function fixes its search_path');
    RETURN NEXT;

    -- 10. No superuser-owned SECURITY DEFINER function at all
    SELECT string_agg(ns.nspname || '.' || p.proname || '()', ', ') INTO bad
      FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace JOIN pg_roles r ON r.oid = p.proowner
     WHERE ns.nspname = ANY (installed) AND p.prosecdef AND r.rolsuper;
    check_name := 'no_superuser_security_definer';
    status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('SECURITY DEFINER functions owned by a superuser: ' || bad,
                       'no SECURITY DEFINER function runs with superuser rights');
    RETURN NEXT;

    -- 11-13. Append-only and audit triggers present and enabled (O = origin, A = always; D/R do not fire)
    FOR want IN SELECT * FROM (VALUES
            ('consent_append_only_triggers', 'consent', ARRAY['consent.records:records_append_only',
                'consent.records:records_no_truncate', 'consent.policies:policies_immutable',
                'consent.policies:policies_no_truncate'], 'consent.records append-only, consent.policies immutable'),
            ('legal_append_only_triggers', 'legal', ARRAY['legal.documents:documents_immutable',
                'legal.documents:documents_no_truncate', 'legal.acceptances:acceptances_append_only',
                'legal.acceptances:acceptances_no_truncate', 'legal.audit_log:audit_log_append_only',
                'legal.audit_log:audit_log_no_truncate', 'legal.audit_log:audit_log_chain'],
                'legal documents immutable, acceptances and audit_log append-only and hash-chained'),
            ('billing_audit_triggers', 'billing', ARRAY['billing.tenant_billing:tenant_billing_before_write',
                'billing.tenant_billing:tenant_billing_after_write'],
                'every billing.tenant_billing change is audited and notified'))
            AS w(name, schema_name, triggers, ok) LOOP
        check_name := want.name;
        IF NOT want.schema_name = ANY (installed) THEN
            status := 'WARN'; detail := want.schema_name || ' is not installed';
        ELSE
            SELECT string_agg(t, ', ' ORDER BY t) INTO missing FROM unnest(want.triggers) t
             WHERE to_regclass(split_part(t, ':', 1)) IS NULL
                OR NOT EXISTS (SELECT 1 FROM pg_trigger g
                                WHERE g.tgrelid = to_regclass(split_part(t, ':', 1))
                                  AND g.tgname = split_part(t, ':', 2) AND NOT g.tgisinternal
                                  AND g.tgenabled IN ('O', 'A'));
            status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
            detail := coalesce('missing or disabled: ' || missing, want.ok);
        END IF;
        RETURN NEXT;
    END LOOP;

    -- 14. No disabled trigger anywhere in the Tollgate schemas
    SELECT string_agg(ns.nspname || '.' || c.relname || ':' || g.tgname, ', ') INTO bad
      FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE ns.nspname = ANY (installed) AND NOT g.tgisinternal AND g.tgenabled NOT IN ('O', 'A');
    check_name := 'no_disabled_triggers';
    status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('disabled (ALTER TABLE … ENABLE TRIGGER …): ' || bad, 'every Tollgate trigger fires');
    RETURN NEXT;

    -- 15-18. Required indexes, per module
    FOR want IN SELECT * FROM (VALUES
            ('webhooks_indexes', 'webhooks', ARRAY['webhooks.events_pkey', 'webhooks.events_due_idx',
                'webhooks.events_lease_idx', 'webhooks.events_processed_idx', 'webhooks.dead_letter_queue_open_idx']),
            ('billing_indexes', 'billing', ARRAY['billing.tenant_billing_pkey', 'billing.customers_pkey',
                'billing.customers_tenant_idx', 'billing.audit_log_tenant_idx', 'billing.unresolved_events_pending_idx']),
            ('consent_indexes', 'consent', ARRAY['consent.policies_pkey', 'consent.records_pkey',
                'consent.records_subject_idx', 'consent.records_policy_idx']),
            ('legal_indexes', 'legal', ARRAY['legal.documents_pkey', 'legal.documents_kind_effective_idx',
                'legal.acceptances_user_idx', 'legal.audit_log_pkey', 'legal.audit_log_acceptance_idx']))
            AS w(name, schema_name, indexes) LOOP
        check_name := want.name;
        IF NOT want.schema_name = ANY (installed) THEN
            status := 'WARN'; detail := want.schema_name || ' is not installed';
        ELSE
            SELECT string_agg(i, ', ' ORDER BY i) INTO missing FROM unnest(want.indexes) i
             WHERE to_regclass(i) IS NULL
                OR NOT EXISTS (SELECT 1 FROM pg_index x WHERE x.indexrelid = to_regclass(i) AND x.indisvalid);
            status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
            detail := coalesce('missing or invalid: ' || missing, array_to_string(want.indexes, ', ') || ' exist');
        END IF;
        RETURN NEXT;
    END LOOP;

    -- 19. Required constraints
    SELECT string_agg(t || ' ' || k, ', ' ORDER BY t, k) INTO missing
      FROM (VALUES ('webhooks.events', 'events_state_check'),
                   ('webhooks.dead_letter_queue', 'dead_letter_queue_event_fkey'),
                   ('billing.tenant_billing', 'tenant_billing_status_check'),
                   ('consent.records', 'records_policy_version_fkey'),
                   ('legal.acceptances', 'acceptances_document_kind_document_version_fkey'),
                   ('legal.audit_log', 'audit_log_acceptance_id_fkey')) AS w(t, k)
     WHERE split_part(t, '.', 1) = ANY (installed)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conrelid = to_regclass(t) AND con.conname = k
                          AND con.convalidated);
    check_name := 'required_constraints';
    status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('missing or not validated: ' || missing,
                       'state/status checks and the dead-letter, consent-policy, acceptance and audit foreign keys hold');
    RETURN NEXT;

    -- 20. Every table has a primary key
    SELECT string_agg(ns.nspname || '.' || c.relname, ', ') INTO bad
      FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE ns.nspname = ANY (installed) AND c.relkind IN ('r', 'p')
       AND NOT (ns.nspname = 'tollgate' AND c.relname = 'liquibase_changelog') -- Liquibase's table has none
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conrelid = c.oid AND con.contype = 'p');
    check_name := 'tables_have_primary_keys';
    status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('without a primary key: ' || bad, 'every Tollgate table has a primary key');
    RETURN NEXT;

    -- 21. Tenant, user and subject ids are text (never assumed numeric)
    SELECT string_agg(w.t || '.' || w.col || ' is ' || coalesce(format_type(a.atttypid, a.atttypmod), 'missing'),
                      ', ' ORDER BY w.t) INTO bad
      FROM (VALUES ('billing.tenant_billing', 'tenant_id'), ('billing.customers', 'tenant_id'),
                   ('billing.audit_log', 'tenant_id'), ('consent.records', 'subject_id'),
                   ('legal.acceptances', 'user_id'), ('legal.audit_log', 'subject_id')) AS w(t, col)
      LEFT JOIN pg_attribute a ON a.attrelid = to_regclass(w.t) AND a.attname = w.col AND NOT a.attisdropped
     WHERE split_part(w.t, '.', 1) = ANY (installed) AND (a.atttypid IS NULL OR a.atttypid <> 'text'::regtype);
    check_name := 'ids_are_text';
    status := CASE WHEN bad IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce(bad, 'tenant, user and subject ids are text columns');
    RETURN NEXT;

    -- 22. Row-level security not switched off for the whole database
    check_name := 'row_security_setting';
    status := CASE WHEN current_setting('row_security') = 'on' THEN 'PASS' ELSE 'FAIL' END;
    detail := 'row_security = ' || current_setting('row_security');
    RETURN NEXT;

    -- 23. The tenant policies deny when no tenant is named. This function runs with tollgate.tenant_id and
    -- tollgate.cross_tenant set to '' (its SET clauses); each policy's expressions are evaluated on a probe row of
    -- its table (every column NULL but tenant_id). Rows are visible when a permissive policy allows them and
    -- every restrictive one does; the same for inserts with the WITH CHECK expressions.
    check_name := 'tenant_policies_deny_when_unset';
    IF NOT 'billing' = ANY (installed) THEN
        status := 'WARN'; detail := 'billing is not installed: no tenant tables';
    ELSE
        bad := NULL;
        unevaluated := NULL;
        FOR tbl IN SELECT t FROM unnest(tenant_tables) t WHERE to_regclass(t) IS NOT NULL ORDER BY t LOOP
            reads := false; writes := false; read_limits := true; write_limits := true;
            BEGIN
                FOR pol IN SELECT p.polpermissive AS permissive, p.polcmd AS cmd,
                                  pg_get_expr(p.polqual, p.polrelid) AS qual,
                                  pg_get_expr(p.polwithcheck, p.polrelid) AS wcheck
                             FROM pg_policy p WHERE p.polrelid = to_regclass(tbl) LOOP
                    IF pol.cmd IN ('r', '*') AND pol.qual IS NOT NULL THEN
                        EXECUTE format('SELECT coalesce((%s), false) FROM jsonb_populate_record(NULL::%s, $1) AS probe',
                                       pol.qual, tbl) INTO ok USING probe;
                        IF pol.permissive THEN reads := reads OR ok; ELSE read_limits := read_limits AND ok; END IF;
                    END IF;
                    IF pol.cmd IN ('a', '*') AND coalesce(pol.wcheck, pol.qual) IS NOT NULL THEN
                        EXECUTE format('SELECT coalesce((%s), false) FROM jsonb_populate_record(NULL::%s, $1) AS probe',
                                       coalesce(pol.wcheck, pol.qual), tbl) INTO ok USING probe;
                        IF pol.permissive THEN writes := writes OR ok; ELSE write_limits := write_limits AND ok; END IF;
                    END IF;
                END LOOP;
                IF (reads AND read_limits) OR (writes AND write_limits) THEN
                    bad := concat_ws(', ', bad, tbl);
                END IF;
            EXCEPTION WHEN OTHERS THEN
                unevaluated := concat_ws(', ', unevaluated, tbl);
            END;
        END LOOP;
        IF bad IS NOT NULL THEN
            status := 'FAIL';
            detail := 'with tollgate.tenant_id unset or empty a non-owner role sees or writes every tenant''s rows of: '
                      || bad || ' (fail-open policy: apply billing V3, whose policies need tollgate.tenant_id or'
                      || ' tollgate.cross_tenant = ''on'')';
        ELSIF unevaluated IS NOT NULL THEN
            status := 'WARN';
            detail := 'the policies of ' || unevaluated || ' could not be evaluated as ' || current_user;
        ELSE
            status := 'PASS';
            detail := 'with tollgate.tenant_id unset or empty a non-owner role sees and writes no row of '
                      || array_to_string(tenant_tables, ', ');
        END IF;
    END IF;
    RETURN NEXT;
END;
$$;

COMMENT ON FUNCTION tollgate.verify_final_hardening() IS
    'Tollgate: go-live hardening checks over every Tollgate schema; each row PASS, WARN or FAIL.';

REVOKE ALL ON FUNCTION tollgate.verify_final_hardening() FROM PUBLIC;

-- Tollgate billing core: tenant billing state, customer mapping, audit log, unresolved events,
-- change notifications for gate caches, and the schema verifier.

CREATE SCHEMA IF NOT EXISTS billing;

-- Provider customer id -> tenant. Filled by checkout.session.completed (client_reference_id or
-- metadata.tenant_id) and by subscription events that carry metadata.tenant_id.
CREATE TABLE IF NOT EXISTS billing.customers (
    provider        text        NOT NULL,
    customer_id     text        NOT NULL,
    tenant_id       text        NOT NULL,
    source_event_id text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, customer_id)
);
CREATE INDEX IF NOT EXISTS customers_tenant_idx ON billing.customers (tenant_id);

-- Tenant -> billing state. Two "lanes" keep the state out-of-order safe: the status is owned by
-- the newest status-setting event (source_event_*), plan/period/entitlements by the newest
-- subscription-describing event (details_event_*).
CREATE TABLE IF NOT EXISTS billing.tenant_billing (
    tenant_id            text        PRIMARY KEY,
    status               text        NOT NULL CONSTRAINT tenant_billing_status_check CHECK (status IN
                             ('trialing', 'active', 'incomplete', 'incomplete_expired', 'past_due',
                              'unpaid', 'canceled', 'paused', 'none')),
    provider             text,
    customer_id          text,
    subscription_id      text,
    plan_id              text,
    entitlement_ids      text[]      NOT NULL DEFAULT '{}',
    current_period_end   timestamptz,
    grace_until          timestamptz,
    status_since         timestamptz NOT NULL DEFAULT now(),
    source_event_id      text,
    source_event_created timestamptz,
    details_event_id     text,
    details_event_created timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Every change of a tenant's billing state, written by trigger in the same transaction. The cause is
-- the provider event id set by Tollgate (set_config('tollgate.billing_cause', …, true)), or
-- 'sql:<role>' for an operator's direct UPDATE.
CREATE TABLE IF NOT EXISTS billing.audit_log (
    id             bigserial   PRIMARY KEY,
    tenant_id      text        NOT NULL,
    from_status    text,
    to_status      text        NOT NULL,
    cause_event_id text        NOT NULL,
    at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS audit_log_tenant_idx ON billing.audit_log (tenant_id, id);

-- Provider events whose tenant could not be resolved: kept, reported, and replayed when the
-- customer mapping arrives.
CREATE TABLE IF NOT EXISTS billing.unresolved_events (
    provider           text        NOT NULL,
    event_id           text        NOT NULL,
    event_type         text        NOT NULL,
    customer_id        text,
    reason             text        NOT NULL,
    payload            text        NOT NULL, -- the raw JSON (text: jsonb refuses \u0000)
    received_at        timestamptz NOT NULL DEFAULT now(),
    resolved_at        timestamptz,
    resolved_tenant_id text,
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX IF NOT EXISTS unresolved_events_pending_idx
    ON billing.unresolved_events (provider, customer_id) WHERE resolved_at IS NULL;

CREATE OR REPLACE FUNCTION billing.tenant_billing_before_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status
            AND NEW.status_since IS NOT DISTINCT FROM OLD.status_since THEN
        -- an operator changed the status by hand: the new status starts now
        NEW.status_since := now();
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION billing.tenant_billing_after_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cause text := coalesce(nullif(current_setting('tollgate.billing_cause', true), ''), 'sql:' || current_user);
    tenant text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        tenant := OLD.tenant_id;
        INSERT INTO billing.audit_log (tenant_id, from_status, to_status, cause_event_id)
        VALUES (OLD.tenant_id, OLD.status, 'none', cause);
    ELSIF TG_OP = 'INSERT' THEN
        tenant := NEW.tenant_id;
        INSERT INTO billing.audit_log (tenant_id, from_status, to_status, cause_event_id)
        VALUES (NEW.tenant_id, NULL, NEW.status, cause);
    ELSE
        tenant := NEW.tenant_id;
        IF (NEW.status, NEW.plan_id, NEW.entitlement_ids, NEW.current_period_end, NEW.grace_until,
            NEW.source_event_id, NEW.details_event_id)
           IS DISTINCT FROM (OLD.status, OLD.plan_id, OLD.entitlement_ids, OLD.current_period_end,
            OLD.grace_until, OLD.source_event_id, OLD.details_event_id) THEN
            INSERT INTO billing.audit_log (tenant_id, from_status, to_status, cause_event_id)
            VALUES (NEW.tenant_id, OLD.status, NEW.status, cause);
        END IF;
    END IF;
    -- NOTIFY payloads are limited to 8000 bytes: a huge tenant id invalidates every cached tenant.
    PERFORM pg_notify('tollgate_billing', CASE WHEN octet_length(tenant) > 7000 THEN '*' ELSE tenant END);
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS tenant_billing_before_write ON billing.tenant_billing;
CREATE TRIGGER tenant_billing_before_write
    BEFORE INSERT OR UPDATE ON billing.tenant_billing
    FOR EACH ROW EXECUTE FUNCTION billing.tenant_billing_before_write();

DROP TRIGGER IF EXISTS tenant_billing_after_write ON billing.tenant_billing;
CREATE TRIGGER tenant_billing_after_write
    AFTER INSERT OR UPDATE OR DELETE ON billing.tenant_billing
    FOR EACH ROW EXECUTE FUNCTION billing.tenant_billing_after_write();

CREATE OR REPLACE FUNCTION billing.verify_billing_schema()
RETURNS TABLE(check_name text, status text, detail text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    missing text;
    n bigint;
BEGIN
    SELECT string_agg(t, ', ') INTO missing
    FROM unnest(ARRAY['customers', 'tenant_billing', 'audit_log', 'unresolved_events']) AS t
    WHERE to_regclass('billing.' || t) IS NULL;
    check_name := 'tables_exist';
    status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := coalesce('missing: ' || missing, 'billing.customers, tenant_billing, audit_log, unresolved_events');
    RETURN NEXT;

    -- Each check below names the table it needs when that table is missing, instead of failing the whole
    -- function (the statements inside an IF branch that is not taken are never planned).
    check_name := 'audit_and_notify_triggers';
    IF to_regclass('billing.tenant_billing') IS NULL THEN
        status := 'FAIL'; detail := 'billing.tenant_billing is missing';
    ELSE
        SELECT string_agg(t, ', ') INTO missing
        FROM unnest(ARRAY['tenant_billing_before_write', 'tenant_billing_after_write']) AS t
        WHERE NOT EXISTS (SELECT 1 FROM pg_trigger g
                          WHERE g.tgrelid = to_regclass('billing.tenant_billing') AND g.tgname = t
                            AND NOT g.tgisinternal AND g.tgenabled <> 'D');
        status := CASE WHEN missing IS NULL THEN 'PASS' ELSE 'FAIL' END;
        detail := coalesce('missing or disabled: ' || missing, 'audit row and NOTIFY tollgate_billing on every change');
    END IF;
    RETURN NEXT;

    check_name := 'status_constraint';
    status := CASE WHEN EXISTS (SELECT 1 FROM pg_constraint
                                WHERE conrelid = to_regclass('billing.tenant_billing')
                                  AND conname = 'tenant_billing_status_check')
                   THEN 'PASS' ELSE 'FAIL' END;
    detail := CASE WHEN to_regclass('billing.tenant_billing') IS NULL THEN 'billing.tenant_billing is missing'
                   ELSE 'tenant_billing.status limited to the Stripe statuses and none' END;
    RETURN NEXT;

    check_name := 'customers_tenant_index';
    status := CASE WHEN to_regclass('billing.customers_tenant_idx') IS NOT NULL THEN 'PASS' ELSE 'FAIL' END;
    detail := 'billing.customers(tenant_id) is indexed';
    RETURN NEXT;

    check_name := 'every_tenant_audited';
    IF to_regclass('billing.tenant_billing') IS NULL OR to_regclass('billing.audit_log') IS NULL THEN
        status := 'FAIL'; detail := 'cannot check: billing.tenant_billing or billing.audit_log is missing';
    ELSE
        SELECT count(*) INTO n FROM billing.tenant_billing b
        WHERE NOT EXISTS (SELECT 1 FROM billing.audit_log a WHERE a.tenant_id = b.tenant_id);
        status := CASE WHEN n = 0 THEN 'PASS' ELSE 'WARN' END;
        detail := n || ' tenant(s) without an audit row';
    END IF;
    RETURN NEXT;

    check_name := 'unresolved_events';
    IF to_regclass('billing.unresolved_events') IS NULL THEN
        status := 'FAIL'; detail := 'billing.unresolved_events is missing';
    ELSE
        SELECT count(*) INTO n FROM billing.unresolved_events WHERE resolved_at IS NULL;
        status := CASE WHEN n = 0 THEN 'PASS' ELSE 'WARN' END;
        detail := n || ' provider event(s) waiting for a tenant mapping';
    END IF;
    RETURN NEXT;
END;
$$;

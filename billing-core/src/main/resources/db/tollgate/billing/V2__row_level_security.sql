-- Tollgate billing: row-level security on the tenant tables, and no PUBLIC privileges.
--
-- Tenant tables: billing.tenant_billing, billing.customers and billing.audit_log (each row belongs to
-- one tenant_id). billing.unresolved_events is not: its rows have no tenant yet, only the library's
-- webhook intake reads it.
--
-- The policies keep the library working unchanged:
--   * the table owner (the role that ran the migrations) bypasses RLS (it is not FORCEd);
--   * a non-owner service role sees every row while the setting tollgate.tenant_id is unset or empty
--     (webhook processing and the gate, which serve every tenant);
--   * a session that scopes itself to a tenant sees and writes only that tenant's rows:
--       BEGIN; SET LOCAL tollgate.tenant_id = 'tenant-a'; SELECT … FROM billing.tenant_billing; COMMIT;
--     (SET LOCAL ends with the transaction, so a pooled connection does not stay scoped).
-- current_setting(…, true) is NULL when the setting was never set and '' after a SET LOCAL ended.
--
-- Operators who want tenant isolation run request code with a non-owner role and SET LOCAL per request;
-- tollgate.verify_final_hardening() fails when RLS is disabled or a policy is missing.

ALTER TABLE billing.tenant_billing ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.audit_log ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS tenant_isolation ON billing.tenant_billing;
CREATE POLICY tenant_isolation ON billing.tenant_billing
    USING (coalesce(current_setting('tollgate.tenant_id', true), '') IN ('', tenant_id))
    WITH CHECK (coalesce(current_setting('tollgate.tenant_id', true), '') IN ('', tenant_id));

DROP POLICY IF EXISTS tenant_isolation ON billing.customers;
CREATE POLICY tenant_isolation ON billing.customers
    USING (coalesce(current_setting('tollgate.tenant_id', true), '') IN ('', tenant_id))
    WITH CHECK (coalesce(current_setting('tollgate.tenant_id', true), '') IN ('', tenant_id));

DROP POLICY IF EXISTS tenant_isolation ON billing.audit_log;
CREATE POLICY tenant_isolation ON billing.audit_log
    USING (coalesce(current_setting('tollgate.tenant_id', true), '') IN ('', tenant_id))
    WITH CHECK (coalesce(current_setting('tollgate.tenant_id', true), '') IN ('', tenant_id));

-- Nothing in schema billing is usable by PUBLIC (PostgreSQL grants EXECUTE on new functions to PUBLIC by
-- default). A non-owner service role needs its own grants:
--   GRANT USAGE ON SCHEMA billing TO app;
--   GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA billing TO app;
--   GRANT USAGE ON ALL SEQUENCES IN SCHEMA billing TO app;
--   GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA billing TO app;
REVOKE ALL ON SCHEMA billing FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA billing FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA billing FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA billing FROM PUBLIC;

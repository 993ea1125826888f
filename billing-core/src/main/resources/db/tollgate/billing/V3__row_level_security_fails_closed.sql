-- Tollgate billing: row-level security fails closed. V2's policies showed every row while the setting
-- tollgate.tenant_id was unset or empty, so one forgotten SET LOCAL exposed all tenants. From this version a
-- non-owner role sees and writes a tenant row only when the transaction names that tenant, or says explicitly
-- that it works across tenants:
--
--   BEGIN; SET LOCAL tollgate.tenant_id = 'tenant-a'; SELECT … FROM billing.tenant_billing; COMMIT;  -- tenant-a's rows
--   BEGIN; SET LOCAL tollgate.cross_tenant = 'on';    SELECT … FROM billing.tenant_billing; COMMIT;  -- every tenant's
--   SELECT … FROM billing.tenant_billing;                                                            -- no rows
--
-- (SET LOCAL, or set_config(…, true), ends with the transaction, so a pooled connection is never left scoped.)
--
-- The library scopes its own work this way: PostgresBillingRepository reads a tenant's state, audit log and
-- customer with tollgate.tenant_id set to that tenant; applying a provider event (the webhook handler, the
-- reconciler) and looking a tenant up by provider customer id run with tollgate.cross_tenant = 'on' for the
-- duration of the billing work only, in the same transaction. The table owner (the role that ran the
-- migrations) and roles with BYPASSRLS are not subject to the policies (they are not FORCEd), so operators who
-- query as the owner see every row as before.
--
-- A non-owner service role needs these grants (in addition to the webhooks schema's, for the pipeline):
--   GRANT USAGE ON SCHEMA billing TO app;
--   GRANT SELECT, INSERT, UPDATE ON billing.tenant_billing, billing.customers, billing.unresolved_events TO app;
--   GRANT SELECT, INSERT ON billing.audit_log TO app;
--   GRANT USAGE ON ALL SEQUENCES IN SCHEMA billing TO app;
--   GRANT EXECUTE ON FUNCTION billing.verify_billing_schema() TO app;   -- health checks
-- The policy expressions compare text only: a role that may run SQL can name any tenant it wants, so these
-- policies guard against forgetting the scope, not against a hostile SQL author.

DROP POLICY IF EXISTS tenant_isolation ON billing.tenant_billing;
CREATE POLICY tenant_isolation ON billing.tenant_billing
    USING (tenant_id = current_setting('tollgate.tenant_id', true)
           OR current_setting('tollgate.cross_tenant', true) = 'on')
    WITH CHECK (tenant_id = current_setting('tollgate.tenant_id', true)
                OR current_setting('tollgate.cross_tenant', true) = 'on');

DROP POLICY IF EXISTS tenant_isolation ON billing.customers;
CREATE POLICY tenant_isolation ON billing.customers
    USING (tenant_id = current_setting('tollgate.tenant_id', true)
           OR current_setting('tollgate.cross_tenant', true) = 'on')
    WITH CHECK (tenant_id = current_setting('tollgate.tenant_id', true)
                OR current_setting('tollgate.cross_tenant', true) = 'on');

DROP POLICY IF EXISTS tenant_isolation ON billing.audit_log;
CREATE POLICY tenant_isolation ON billing.audit_log
    USING (tenant_id = current_setting('tollgate.tenant_id', true)
           OR current_setting('tollgate.cross_tenant', true) = 'on')
    WITH CHECK (tenant_id = current_setting('tollgate.tenant_id', true)
                OR current_setting('tollgate.cross_tenant', true) = 'on');

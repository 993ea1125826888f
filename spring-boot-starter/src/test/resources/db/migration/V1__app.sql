-- An application's own first migration, at Flyway's default location (and run by the Liquibase application's
-- changelog too). It reads Tollgate's billing table, so it only runs if Tollgate's migrations ran first.
CREATE TABLE public.app_projects (id bigserial PRIMARY KEY, tenant_id text NOT NULL, name text NOT NULL);
CREATE VIEW public.app_tenant_status AS SELECT tenant_id, status FROM billing.tenant_billing;

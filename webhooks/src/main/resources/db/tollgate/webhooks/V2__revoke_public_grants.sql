-- Tollgate webhooks: nothing in schema webhooks is usable by PUBLIC (every role). PostgreSQL grants
-- EXECUTE on new functions to PUBLIC by default; tables and the schema get no PUBLIC privileges, the
-- REVOKEs below make that explicit. The service role, when it is not the owner, needs its own grants:
--   GRANT USAGE ON SCHEMA webhooks TO app;
--   GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA webhooks TO app;
--   GRANT USAGE ON ALL SEQUENCES IN SCHEMA webhooks TO app;
--   GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA webhooks TO app;
-- tollgate.verify_final_hardening() fails its no_public_* checks when a PUBLIC grant comes back.

REVOKE ALL ON SCHEMA webhooks FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA webhooks FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA webhooks FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA webhooks FROM PUBLIC;

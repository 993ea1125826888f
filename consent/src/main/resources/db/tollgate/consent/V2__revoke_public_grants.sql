-- Tollgate consent: nothing in schema consent is usable by PUBLIC (every role). PostgreSQL grants
-- EXECUTE on new functions to PUBLIC by default; tables and the schema get no PUBLIC privileges, the
-- REVOKEs below make that explicit. The service role, when it is not the owner, needs its own grants:
--   GRANT USAGE ON SCHEMA consent TO app;
--   GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA consent TO app;
--   GRANT USAGE ON ALL SEQUENCES IN SCHEMA consent TO app;
--   GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA consent TO app;
-- tollgate.verify_final_hardening() fails its no_public_* checks when a PUBLIC grant comes back.

REVOKE ALL ON SCHEMA consent FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA consent FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA consent FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA consent FROM PUBLIC;

-- Tollgate legal: nothing in schema legal is usable by PUBLIC (every role). PostgreSQL grants
-- EXECUTE on new functions to PUBLIC by default; tables and the schema get no PUBLIC privileges, the
-- REVOKEs below make that explicit. The service role, when it is not the owner, needs its own grants:
--   GRANT USAGE ON SCHEMA legal TO app;
--   GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA legal TO app;
--   GRANT USAGE ON ALL SEQUENCES IN SCHEMA legal TO app;
--   GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA legal TO app;
-- tollgate.verify_final_hardening() fails its no_public_* checks when a PUBLIC grant comes back.

REVOKE ALL ON SCHEMA legal FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA legal FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA legal FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA legal FROM PUBLIC;

-- Note for non-owner service roles: the audit_log_chain trigger calls legal.audit_row_hash() with the
-- inserting role's privileges, so that role needs the EXECUTE grant above to record acceptances.

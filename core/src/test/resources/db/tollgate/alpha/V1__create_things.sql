CREATE SCHEMA IF NOT EXISTS alpha;
CREATE TABLE alpha.things (id text PRIMARY KEY);
CREATE OR REPLACE FUNCTION alpha.count_things() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT count(*) FROM alpha.things); -- a ; inside a dollar-quoted body
END;
$$;

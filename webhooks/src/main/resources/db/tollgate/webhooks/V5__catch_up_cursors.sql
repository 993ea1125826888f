-- Tollgate webhooks: where a catch-up from a provider's events API stands (StripeCatchUp), one row per
-- provider name.
--
-- A run lists the provider's events created in [window_from, window_until], newest first, and feeds each
-- through the webhook pipeline; after every event it records the last one handled in resume_after, so a
-- run that stopped part-way (a crash, a failing handler, the provider refusing) is continued by the next one
-- from there. A finished run clears resume_after and moves caught_up_until to its window_until: the time up
-- to which every event of the provider has been seen, whose age is the catch-up lag meter.

CREATE TABLE IF NOT EXISTS webhooks.catch_up_cursors (
    provider        text        PRIMARY KEY,
    window_from     timestamptz NOT NULL,
    window_until    timestamptz NOT NULL,
    resume_after    text,
    caught_up_until timestamptz,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT catch_up_cursors_provider_check CHECK (char_length(provider) BETWEEN 1 AND 100),
    CONSTRAINT catch_up_cursors_resume_after_check CHECK (char_length(resume_after) BETWEEN 1 AND 255),
    CONSTRAINT catch_up_cursors_window_check CHECK (window_from <= window_until)
);

COMMENT ON TABLE webhooks.catch_up_cursors IS
    'Tollgate: where a catch-up from a provider''s events API stands (StripeCatchUp); one row per provider.';
COMMENT ON COLUMN webhooks.catch_up_cursors.resume_after IS
    'Tollgate: the last event handled by an unfinished run (the next run continues after it); null when finished.';
COMMENT ON COLUMN webhooks.catch_up_cursors.caught_up_until IS
    'Tollgate: every event created up to this time has been seen; the catch-up lag is now minus this.';

REVOKE ALL ON webhooks.catch_up_cursors FROM PUBLIC;

-- Tollgate webhooks: a record of every deliberate replay of a processed event (WebhookEvents.replay).
--
-- A replay puts a processed event back to 'pending' so the asynchronous worker runs its handlers again; this
-- table records that it happened on purpose: one row per replay, never updated. It has no
-- foreign key to webhooks.events, so a replay's record outlives the event's retention.

CREATE TABLE IF NOT EXISTS webhooks.event_replays (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider              text        NOT NULL,
    event_id              text        NOT NULL,
    replayed_at           timestamptz NOT NULL,
    previous_processed_at timestamptz,
    CONSTRAINT event_replays_provider_check CHECK (char_length(provider) BETWEEN 1 AND 100),
    CONSTRAINT event_replays_event_id_check CHECK (char_length(event_id) BETWEEN 1 AND 255)
);

COMMENT ON TABLE webhooks.event_replays IS
    'Tollgate: one row per deliberate replay of a processed event (WebhookEvents.replay).';

CREATE INDEX IF NOT EXISTS event_replays_event_idx
    ON webhooks.event_replays (provider, event_id);

REVOKE ALL ON webhooks.event_replays FROM PUBLIC;

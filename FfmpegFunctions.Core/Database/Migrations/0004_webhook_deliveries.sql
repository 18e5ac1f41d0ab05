-- Webhook events waiting for (or done with) delivery: an outbox written by the workflow's final steps
-- and drained by the Server's WebhookDispatcher.
CREATE TABLE webhook_deliveries (
    -- Also the event id the receiver sees (deduplicate on it: delivery is at least once).
    id                uuid        PRIMARY KEY,
    composition_id    uuid        NOT NULL REFERENCES compositions (id) ON DELETE CASCADE,
    event_type        text        NOT NULL,
    payload           jsonb       NOT NULL,
    url               text        NOT NULL,
    status            text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts          integer     NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    last_status_code  integer,
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    delivered_at      timestamptz,
    -- The steps that enqueue run at least once: a rerun finds its event already there.
    UNIQUE (composition_id, event_type)
);

-- Dispatchers claim due pending deliveries in order.
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

-- Every attempt, for support ("did you call us, and what did we answer?").
CREATE TABLE webhook_delivery_attempts (
    delivery_id   uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt       integer     NOT NULL,
    status_code   integer,
    error         text,
    duration_ms   integer     NOT NULL,
    attempted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (delivery_id, attempt)
);

-- The seed's schema: compositions and their render jobs.
CREATE TABLE compositions (
    id               uuid PRIMARY KEY,
    title            text,
    config           jsonb       NOT NULL,
    status           text        NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'queued', 'processing', 'completed', 'failed', 'cancelled', 'deleted')),
    -- 0 high, 1 default, 2 low: sorts the way workers claim.
    priority         smallint    NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 2),
    idempotency_key  text,
    request_hash     bytea,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    error_message    text,
    output_key       text,
    thumbnail_key    text,
    output_url       text,
    output_metadata  jsonb
);

CREATE INDEX ix_compositions_status ON compositions (status);
CREATE INDEX ix_compositions_created_at ON compositions (created_at DESC, id DESC);
CREATE UNIQUE INDEX ux_compositions_idempotency_key ON compositions (idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE jobs (
    id                uuid PRIMARY KEY,
    composition_id    uuid        NOT NULL REFERENCES compositions (id) ON DELETE CASCADE,
    -- The workflow instance id (the Durable orchestration id in the Functions app).
    job_id            text        NOT NULL UNIQUE,
    status            text        NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'cancelled')),
    priority          smallint    NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 2),
    progress          real        NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    current_step      text,
    attempts          integer     NOT NULL DEFAULT 0,
    max_attempts      integer     NOT NULL DEFAULT 5,
    run_after         timestamptz NOT NULL DEFAULT now(),
    lease_owner       text,
    lease_expires_at  timestamptz,
    cancel_requested  boolean     NOT NULL DEFAULT false,
    last_error        text,
    metadata          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_jobs_composition_id ON jobs (composition_id);
CREATE INDEX ix_jobs_status ON jobs (status);
-- Workers claim queued jobs by priority, then age.
CREATE INDEX ix_jobs_claimable ON jobs (priority, created_at) WHERE status = 'queued';

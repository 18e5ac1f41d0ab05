-- Per-step checkpoints of the PostgreSQL workflow engine: a restarted job resumes after its last completed step.
CREATE TABLE job_steps (
    job_id        uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step          text        NOT NULL,
    result        jsonb       NOT NULL,
    owner         text        NOT NULL,
    attempt       integer     NOT NULL,
    started_at    timestamptz NOT NULL,
    completed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, step)
);

-- Expired leases are reclaimed by the same claim query.
CREATE INDEX ix_jobs_lease_expiry ON jobs (lease_expires_at) WHERE status = 'processing';

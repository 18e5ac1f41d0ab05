-- What a render's steps share beyond their small messages (Durable history, checkpoints): the probed inputs and the
-- planned segment windows, written once by ProbeInputs and Plan and read by the steps that need them.
CREATE TABLE render_plans (
    job_id          text        PRIMARY KEY,
    composition_id  uuid        NOT NULL REFERENCES compositions (id) ON DELETE CASCADE,
    probed          jsonb,
    windows         jsonb,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Each running part of a segment-parallel render reports here; the job's progress is their weighted sum.
CREATE TABLE render_part_progress (
    job_id          text             NOT NULL,
    composition_id  uuid             NOT NULL REFERENCES compositions (id) ON DELETE CASCADE,
    part            text             NOT NULL,
    weight          double precision NOT NULL,
    percent         double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, part)
);

-- The Server engine's fanned-out steps (one per segment): any instance with a free slot claims one (SKIP LOCKED),
-- runs it under a lease and records its result; the job's owner waits for all of them.
CREATE TABLE job_tasks (
    job_id            uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step              text        NOT NULL,
    input             jsonb       NOT NULL,
    status            text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    owner             text,
    lease_expires_at  timestamptz,
    attempts          integer     NOT NULL DEFAULT 0,
    run_after         timestamptz NOT NULL DEFAULT now(),
    result            jsonb,
    error             text,
    started_at        timestamptz,
    completed_at      timestamptz,
    PRIMARY KEY (job_id, step)
);

CREATE INDEX ix_job_tasks_runnable ON job_tasks (run_after) WHERE status IN ('queued', 'running');

-- A fanned-out task nobody has claimed ends when its job is stopped or ends, whichever path stopped it (a cancel or
-- delete from the API, a failure, a completion): before this, a cancelled 3 h composition left 173 rows queued forever.
-- Running tasks are stopped by their own heartbeat, which sees the job is no longer rendering.
ALTER TABLE job_tasks DROP CONSTRAINT job_tasks_status_check;
ALTER TABLE job_tasks ADD CONSTRAINT job_tasks_status_check CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled'));

CREATE FUNCTION end_queued_tasks_of_stopped_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE job_tasks SET status = 'cancelled', completed_at = now()
    WHERE job_id = NEW.id AND status = 'queued';
    RETURN NULL;
END;
$$;

CREATE TRIGGER jobs_end_queued_tasks
    AFTER UPDATE OF status, cancel_requested ON jobs
    FOR EACH ROW
    WHEN (NEW.cancel_requested OR NEW.status IN ('completed', 'failed', 'cancelled'))
    EXECUTE FUNCTION end_queued_tasks_of_stopped_job();

-- What a cancel left before this trigger existed.
UPDATE job_tasks t SET status = 'cancelled', completed_at = now()
FROM jobs j
WHERE j.id = t.job_id AND t.status = 'queued' AND (j.cancel_requested OR j.status IN ('completed', 'failed', 'cancelled'));

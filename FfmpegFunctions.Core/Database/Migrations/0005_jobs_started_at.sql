-- When a worker first claimed the job (set with clock_timestamp: the moment of the claim, not of its
-- transaction), so claim order can be read back. Its own migration: databases that already applied
-- 0002 without it get it too.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS started_at timestamptz;

-- Retention (Core/Retention): a completed composition whose outputs were deleted after
-- Storage:OutputRetention becomes 'expired'; its record, spec and metadata stay.
ALTER TABLE compositions DROP CONSTRAINT compositions_status_check;
ALTER TABLE compositions ADD CONSTRAINT compositions_status_check
    CHECK (status IN ('pending', 'queued', 'processing', 'completed', 'failed', 'cancelled', 'deleted', 'expired'));

-- The sweeper looks for completed compositions by age.
CREATE INDEX ix_compositions_completed_at ON compositions (completed_at) WHERE status = 'completed';

-- Who opened an upload (a principal's ARN), so that open sessions are capped per caller across
-- restarts; rows from before this migration belong to nobody in particular ('').
ALTER TABLE upload ADD COLUMN owner TEXT NOT NULL DEFAULT '';
-- the cap counts a principal's unexpired sessions
CREATE INDEX upload_by_owner ON upload (owner, expires_at);

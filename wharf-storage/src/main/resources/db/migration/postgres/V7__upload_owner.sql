-- Who opened an upload (a principal's ARN); see the sqlite migration of the same version.
ALTER TABLE upload ADD COLUMN owner TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX upload_by_owner ON upload (owner, expires_at);

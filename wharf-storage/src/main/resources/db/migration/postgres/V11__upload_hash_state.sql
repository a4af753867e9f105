-- The running SHA-256 state after an upload's acknowledged bytes; see the sqlite migration of the same version.
ALTER TABLE upload ADD COLUMN hash_state BYTEA;

-- The running SHA-256 state after an upload's acknowledged bytes, saved with its offset, so that any node (or this
-- one after a restart) continues the hash without reading the bytes again; NULL: rebuild it from the bytes.
ALTER TABLE upload ADD COLUMN hash_state BLOB;

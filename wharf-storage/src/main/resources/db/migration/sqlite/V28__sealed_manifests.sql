-- Manifests of encrypted repositories are stored sealed (issue 15, docs/encryption.md): `sealed` names the encryption
-- domain whose data key sealed `content` (NULL: the plain bytes, as before).
ALTER TABLE manifest ADD COLUMN sealed TEXT;

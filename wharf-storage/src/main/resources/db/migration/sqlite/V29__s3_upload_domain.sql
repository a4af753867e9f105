-- The encryption domain of an S3 upload (issue 15, docs/encryption.md): a repository whose encryption setting is KMS
-- writes its parts and its blob with SSE-KMS under its own key. `sse` is S3's name of the encryption (aws:kms or
-- aws:kms:dsse), `kms_key` the key id (NULL: the bucket's or AWS's default KMS key); both NULL: the plain tree.
ALTER TABLE s3_upload ADD COLUMN sse TEXT;
ALTER TABLE s3_upload ADD COLUMN kms_key TEXT;

-- Part bookkeeping of ECR multi-part layer uploads (see UploadParts).
ALTER TABLE upload ADD COLUMN part_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE upload ADD COLUMN last_part_size BIGINT NOT NULL DEFAULT 0;
ALTER TABLE upload ADD COLUMN undersized_part INTEGER NOT NULL DEFAULT 0;

-- ECR repository settings (see the sqlite migration of the same version).
ALTER TABLE repository ADD COLUMN tag_mutability TEXT NOT NULL DEFAULT 'MUTABLE';
ALTER TABLE repository ADD COLUMN tag_mutability_filters TEXT NOT NULL DEFAULT '';
ALTER TABLE repository ADD COLUMN scan_on_push INTEGER NOT NULL DEFAULT 0;
ALTER TABLE repository ADD COLUMN encryption_type TEXT NOT NULL DEFAULT 'AES256';
ALTER TABLE repository ADD COLUMN kms_key TEXT;

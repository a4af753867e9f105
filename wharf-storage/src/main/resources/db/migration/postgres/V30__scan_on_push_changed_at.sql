-- When the repository's scan-on-push flag last changed (epoch millis; NULL: never since the repository was created).
-- Scan on push goes by the configuration in force when the image was pushed, not when its event is handled: an image
-- pushed before the flag changed is not scanned on push (docs/scanning.md).
ALTER TABLE repository ADD COLUMN scan_on_push_changed_at BIGINT;

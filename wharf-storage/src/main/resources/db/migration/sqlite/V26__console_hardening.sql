-- A console session signed in with an access key names it, so that it ends with the key (docs/console.md).
ALTER TABLE console_session ADD COLUMN access_key_id TEXT;
-- Failed console sign-ins per subject ('key:<access key id>' or 'ip:<address>') in a fixed window that began at
-- window_start (epoch ms); a row whose window is over is swept by the console-sweep job.
CREATE TABLE console_sign_in_failure (
    subject      TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL
);
CREATE INDEX console_sign_in_failure_window ON console_sign_in_failure (window_start);
CREATE INDEX console_session_last_seen ON console_session (last_seen_at);

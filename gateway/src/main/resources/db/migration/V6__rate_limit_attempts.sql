-- Attempts counted towards rate limits, shared by every gateway instance: failed logins (and password checks still
-- running) per username and per client address, and requests that send account mail per email and per address.
-- An attempt has one row per key it counts under; a row counts until it expires. Keys hold no secret: usernames and
-- email addresses appear only as SHA-256 hashes.
CREATE TABLE rate_limit_attempts (
    attempt    UUID        NOT NULL,
    key        TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX rate_limit_attempts_key ON rate_limit_attempts (key, expires_at);
CREATE INDEX rate_limit_attempts_attempt ON rate_limit_attempts (attempt);
CREATE INDEX rate_limit_attempts_expiry ON rate_limit_attempts (expires_at);

-- Replaced by the attempts above (failures were counted only after the password check, so parallel guesses passed).
DROP TABLE login_failures;

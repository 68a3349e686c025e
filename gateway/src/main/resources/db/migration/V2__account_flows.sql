-- Activation and reset keys: stored as SHA-256 hashes, single-use, expiring, bound to one purpose.
CREATE TABLE account_keys (
    key_hash   TEXT PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT        NOT NULL CHECK (purpose IN ('activation', 'reset')),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX account_keys_user ON account_keys (user_id);

-- Failed logins, per username and per client address, for throttling across every gateway instance.
CREATE TABLE login_failures (
    id       BIGSERIAL PRIMARY KEY,
    username TEXT        NOT NULL,
    address  TEXT        NOT NULL,
    at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- API tokens for the AuditConsole commands: a SHA-256 hash, an optional view, and permissions.
CREATE TABLE api_tokens (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT        NOT NULL,
    token_hash  TEXT        NOT NULL UNIQUE,
    view        TEXT,
    permissions TEXT[]      NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

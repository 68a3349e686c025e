-- Accounts. Secrets are never stored in clear: passwords as Argon2id PHC strings, access keys as a SHA-256 hash
-- (for lookup) plus an AES-GCM sealed copy (so the owner can read it back).
CREATE TABLE users (
    id                BIGSERIAL PRIMARY KEY,
    username          TEXT        NOT NULL,
    email             TEXT        NOT NULL,
    password_hash     TEXT        NOT NULL,
    is_active         BOOLEAN     NOT NULL DEFAULT FALSE,
    is_admin          BOOLEAN     NOT NULL DEFAULT FALSE,
    view              TEXT,
    -- Bumped by a password change or reset; a JWT carrying an older value is refused.
    token_version     INTEGER     NOT NULL DEFAULT 0,
    access_key_hash   TEXT        NOT NULL,
    access_key_sealed TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_access_key_hash_key ON users (access_key_hash);

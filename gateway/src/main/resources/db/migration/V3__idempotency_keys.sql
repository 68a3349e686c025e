-- Idempotency-Key per tenant: the first request reserves the key (response NULL while it publishes) and stores its
-- answer; a retry with a byte-identical body within 24 hours gets that answer back without publishing again.
CREATE TABLE idempotency_keys (
    tenant     TEXT        NOT NULL,
    key        TEXT        NOT NULL,
    body_hash  TEXT        NOT NULL,
    response   TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

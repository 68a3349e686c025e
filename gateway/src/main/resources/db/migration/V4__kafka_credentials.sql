-- Kafka credentials of direct producers: one SCRAM user per row, named by the service (p-<random>), allowed to write
-- the ingress topic only. Only a SHA-256 hash of the password is kept here (Kafka keeps its own salted SCRAM form);
-- the password is shown once, in the answer that creates it. Revoking deletes the Kafka user and its ACLs.
CREATE TABLE kafka_credentials (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    principal   TEXT        NOT NULL UNIQUE,
    secret_hash TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX kafka_credentials_user ON kafka_credentials (user_id);

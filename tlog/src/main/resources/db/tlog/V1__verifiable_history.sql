-- Verifiable history: one append-only Merkle tree per tenant (RFC 9162), its tiles and entry bundles
-- (C2SP tlog-tiles), the record of which Kafka records hold which leaves, signed checkpoints and the signing keys.
-- Written by the ingest workers only.

-- One row per tenant, locked (SELECT ... FOR UPDATE) by every transaction that appends to the tree.
CREATE TABLE tlog_trees (
    tenant         BIGINT      PRIMARY KEY,
    -- <public host>/audit/<tenant>, frozen at creation: renaming it would orphan the checkpoints.
    origin         TEXT        NOT NULL,
    size           BIGINT      NOT NULL DEFAULT 0 CHECK (size >= 0),
    root           BYTEA       NOT NULL,
    -- The roots of the compact range [0, size), left to right, 32 bytes each.
    compact_range  BYTEA       NOT NULL,
    -- "<topic>:<partition>" -> the last offset whose leaves are appended.
    watermarks     JSONB       NOT NULL DEFAULT '{}',
    -- Why the signer stopped signing this tree (a failed consistency check), or null.
    halted         TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Tiles: level L holds hashes of tree level 8L, 256 per full tile; a partial tile grows until it is full, then
-- never changes.
CREATE TABLE tlog_tiles (
    tenant  BIGINT   NOT NULL,
    level   SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 63),
    index   BIGINT   NOT NULL CHECK (index >= 0),
    hashes  BYTEA    NOT NULL CHECK (octet_length(hashes) % 32 = 0 AND octet_length(hashes) <= 256 * 32),
    PRIMARY KEY (tenant, level, index)
);

-- Entry bundles: the 58-byte leaf entries of leaves 256N .. 256N+255, concatenated.
CREATE TABLE tlog_bundles (
    tenant   BIGINT NOT NULL,
    index    BIGINT NOT NULL CHECK (index >= 0),
    entries  BYTEA  NOT NULL CHECK (octet_length(entries) % 58 = 0 AND octet_length(entries) <= 256 * 58),
    PRIMARY KEY (tenant, index)
);

-- Which records of a partition got which leaves in one append: a replayed record takes its leaves from here.
-- Kept forever (they must outlive both topics' retention).
CREATE TABLE tlog_batches (
    tenant        BIGINT   NOT NULL,
    topic         TEXT     NOT NULL,
    partition     INTEGER  NOT NULL,
    first_offset  BIGINT   NOT NULL,
    last_offset   BIGINT   NOT NULL,
    first_seq     BIGINT   NOT NULL,
    -- Parallel arrays: each record with leaves, in offset order, and how many leaves it has.
    offsets       BIGINT[] NOT NULL,
    leaf_counts   INTEGER[] NOT NULL,
    PRIMARY KEY (tenant, topic, partition, first_offset)
);

-- Events published under an idempotency key: a retry publishes them again, and they keep this leaf and salt.
CREATE TABLE tlog_republished (
    tenant      BIGINT      NOT NULL,
    id          UUID        NOT NULL,
    seq         BIGINT      NOT NULL,
    salt        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, id)
);
-- Rows outlive the gateway's idempotency keys, then are pruned.
CREATE INDEX tlog_republished_created_at ON tlog_republished (created_at);

-- Every signed checkpoint note; after the retention period only the first of each UTC hour is kept.
CREATE TABLE tlog_checkpoints (
    tenant     BIGINT      NOT NULL,
    size       BIGINT      NOT NULL CHECK (size >= 0),
    root       BYTEA       NOT NULL,
    note       TEXT        NOT NULL,
    signed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, size)
);
CREATE INDEX tlog_checkpoints_signed_at ON tlog_checkpoints (tenant, signed_at);
-- The signer's retention passes look at the notes of all trees that left the retention window since the last pass.
CREATE INDEX tlog_checkpoints_expiry ON tlog_checkpoints (signed_at);

-- The service's secrets (the Ed25519 signing keys, the salt derivation key), sealed with AES-256-GCM under a key
-- derived from AUDIT_TLOG_SECRET.
CREATE TABLE tlog_keys (
    -- 'ed25519:' + the first 8 bytes of SHA-256(public key) in hex, or 'salt:' + 8 random bytes in hex. (The note key
    -- ID depends on the origin, so it cannot name a key pair that serves every tenant.)
    key_id       TEXT        PRIMARY KEY,
    -- 'ed25519' for signing keys, 'salt' for the key that derives the salts of records that carry none.
    purpose      TEXT        NOT NULL CHECK (purpose IN ('ed25519', 'salt')),
    -- The raw 32-byte Ed25519 public key; null for the salt key.
    public_key   BYTEA,
    -- 0x01 ‖ 12-byte nonce ‖ AES-256-GCM ciphertext and tag of the Ed25519 seed or K, bound to purpose/key_id.
    sealed       BYTEA       NOT NULL,
    valid_from   TIMESTAMPTZ NOT NULL DEFAULT now(),
    valid_until  TIMESTAMPTZ,
    active       BOOLEAN     NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX tlog_keys_one_active ON tlog_keys (purpose) WHERE active;

-- Erasure records (never erased) and the index of erased events.
CREATE TABLE tlog_erasures (
    tenant   BIGINT NOT NULL,
    seq      BIGINT NOT NULL,
    salt     BYTEA  NOT NULL,
    record   TEXT   NOT NULL,
    PRIMARY KEY (tenant, seq)
);
CREATE TABLE tlog_erased (
    tenant        BIGINT NOT NULL,
    id            UUID   NOT NULL,
    seq           BIGINT NOT NULL,
    erasure_seq   BIGINT NOT NULL,
    PRIMARY KEY (tenant, id)
);

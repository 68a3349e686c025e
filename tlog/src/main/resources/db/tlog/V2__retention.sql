-- Retention (spec §8). Events stamped before retained_before (nanoseconds since the epoch) are past the tenant's
-- retention: the retention record at retention_seq says so, their points are deleted, and the ingest worker neither
-- places nor writes such events again.
ALTER TABLE tlog_trees ADD COLUMN retained_before BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tlog_trees ADD COLUMN retention_seq BIGINT;

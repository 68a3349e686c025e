-- A record read again from the ingress topic (after a crash or a rebalance) takes its tenant and its stamps from the
-- batch row that placed it instead of being decided again: its access key may have been rotated since, and a record
-- decided differently would leave its leaves without events and move the stamps of its partition's later records.
-- first_stamps: parallel to offsets, the timestamp of each record's first appended event (null in older rows).
ALTER TABLE tlog_batches ADD COLUMN first_stamps BIGINT[];
-- A partition's rows, from whoever's tree, found by the offsets they start at.
CREATE INDEX tlog_batches_by_partition ON tlog_batches (topic, partition, first_offset);

-- Tiles and entry bundles are hashes and leaf entries: random bytes that PostgreSQL's compression cannot shrink.
-- A full bundle (14,848 bytes) was compressed in full on every insert only to be stored as it was; out of line
-- without compression, inserting one costs about half as much.
ALTER TABLE tlog_tiles ALTER COLUMN hashes SET STORAGE EXTERNAL;
ALTER TABLE tlog_bundles ALTER COLUMN entries SET STORAGE EXTERNAL;

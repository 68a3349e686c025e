-- Counts of a tenant's events by a variable, kept per hour by the query-service, and the marks that say which hours
-- changed since they were counted. Migrated by the ingest workers, which write the marks.

-- One row per tenant and hour (since 1970-01-01T00:00Z) that ingest workers stored events in; the version grows with
-- every stored batch holding events of that hour, after InfluxDB took them.
CREATE TABLE count_marks (
    tenant   BIGINT NOT NULL,
    hour     BIGINT NOT NULL,
    version  BIGINT NOT NULL CHECK (version > 0),
    PRIMARY KEY (tenant, hour)
);

-- Grows before and after every deletion of a tenant's events but retention's: counts kept under another generation
-- are void. No row: generation 0. Retention empties the hours before kept_from: no count of them is stored again.
CREATE TABLE count_generations (
    tenant      BIGINT PRIMARY KEY,
    generation  BIGINT NOT NULL CHECK (generation >= 0),
    kept_from   BIGINT
);

-- One row per deletion under way: while a tenant has one that has not lapsed, no count of it is stored. A deletion
-- that never ended (a crash) holds nothing past its time.
CREATE TABLE count_leases (
    tenant  BIGINT      NOT NULL,
    lease   UUID        NOT NULL,
    until   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, lease)
);

-- Events per value of one variable in one hour, as InfluxDB counted them while the hour's mark had this version (0:
-- no mark) and the tenant this generation: {"<value>": <count>, ...}.
CREATE TABLE count_rollups (
    tenant      BIGINT NOT NULL,
    variable    TEXT   NOT NULL,
    hour        BIGINT NOT NULL,
    generation  BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    counts      JSONB  NOT NULL,
    PRIMARY KEY (tenant, variable, hour)
);

-- Every hour of a tenant's events was counted once by this variable in this generation (from its oldest event to
-- its newest then): since then, an hour holds events the rollups do not count only if its mark moved.
CREATE TABLE count_coverage (
    tenant      BIGINT      NOT NULL,
    variable    TEXT        NOT NULL,
    generation  BIGINT      NOT NULL,
    counted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, variable)
);

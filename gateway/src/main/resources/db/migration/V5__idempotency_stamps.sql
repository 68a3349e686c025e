-- A reserved Idempotency-Key keeps the stamp of its request (event id, ids, first timestamp) from the start, so a
-- retry after a failed or interrupted publish republishes the very same events. claimed_until is the lease of the
-- request that publishes: a failed request ends it at once, a crashed one lets it run out.
ALTER TABLE idempotency_keys
    ADD COLUMN stamp TEXT,
    ADD COLUMN claimed_until TIMESTAMPTZ NOT NULL DEFAULT now();

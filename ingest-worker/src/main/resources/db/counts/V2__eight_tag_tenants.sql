-- The tenants whose events are written with all eight categorical strings as tags: those that had signed up when this
-- table was made (their stored points have that shape). Every later tenant's events are written with four tags
-- (docs/decisions.md, "Which strings are tags"). Nothing adds a row later, so a worker may remember either answer.
CREATE TABLE eight_tag_tenants (
    tenant  BIGINT PRIMARY KEY
);

DO $$
BEGIN
    IF to_regclass('users') IS NOT NULL THEN
        INSERT INTO eight_tag_tenants (tenant) SELECT id FROM users;
    END IF;
END
$$;

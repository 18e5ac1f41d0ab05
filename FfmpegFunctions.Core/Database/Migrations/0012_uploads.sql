-- Uploads you can manage (issue 22): every presigned upload is a row, so it can be listed, confirmed and deleted.
-- Objects put into inputs/ before this migration have no row: they stay usable as before but are not listed.
CREATE TABLE uploads (
    id             uuid        PRIMARY KEY,
    tenant         text        NOT NULL DEFAULT 'default',
    key            text        NOT NULL UNIQUE,
    file_name      text        NOT NULL,
    -- What the client declared when it asked for the URL (the PUT is signed for this type).
    content_type   text        NOT NULL,
    declared_size  bigint,
    -- pending: URL issued; confirmed: the stored object was checked; rejected: it was refused and deleted.
    status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
    -- What the stored object turned out to be, recorded at confirmation.
    size           bigint,
    stored_type    text,
    rejection      text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    confirmed_at   timestamptz
);

-- Lists are per tenant, newest first (keyset paging like compositions).
CREATE INDEX ix_uploads_tenant_created_at ON uploads (tenant, created_at DESC, id DESC);

-- Which compositions name which uploads, by id (any form PostgreSQL reads as a uuid) or by key. Written by a trigger
-- when a composition is stored, so both hosts and every create path (plain, template, replay) record it the same way,
-- and "used by" and "in use" are an index lookup instead of a scan of every spec.
CREATE TABLE upload_uses (
    upload_id       uuid NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    composition_id  uuid NOT NULL REFERENCES compositions (id) ON DELETE CASCADE,
    PRIMARY KEY (upload_id, composition_id)
);

CREATE INDEX ix_upload_uses_composition ON upload_uses (composition_id);

CREATE FUNCTION record_upload_uses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO upload_uses (upload_id, composition_id)
    SELECT DISTINCT u.id, NEW.id
    FROM jsonb_path_query(NEW.config, 'lax $.**.source') s
    JOIN uploads u ON u.tenant = NEW.tenant
        AND (u.key = s #>> '{}'
             OR (s #>> '{}' ~* '^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$' AND u.id = (s #>> '{}')::uuid))
    WHERE jsonb_typeof(s) = 'string'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER compositions_record_upload_uses
    AFTER INSERT ON compositions
    FOR EACH ROW
    EXECUTE FUNCTION record_upload_uses();

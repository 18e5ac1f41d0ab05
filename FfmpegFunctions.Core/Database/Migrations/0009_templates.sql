-- Composition templates: a spec with {{placeholders}}, kept in versions. A version that has rendered
-- (used_at set) is never changed again: an update then makes the next version.
CREATE TABLE templates (
    id          uuid        PRIMARY KEY,
    -- Like compositions, a template belongs to the tenant that stored it; other tenants get 404.
    tenant      text        NOT NULL DEFAULT 'default',
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE template_versions (
    template_id  uuid        NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
    version      integer     NOT NULL CHECK (version >= 1),
    -- json, not jsonb: the author's key order is kept (placeholders are listed in the order they appear).
    spec         json        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    used_at      timestamptz,
    PRIMARY KEY (template_id, version)
);

CREATE INDEX ix_templates_tenant ON templates (tenant, created_at DESC);

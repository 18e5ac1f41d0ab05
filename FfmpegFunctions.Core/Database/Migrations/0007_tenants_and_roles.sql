-- Tenants and roles (issue 12). Every API key belongs to a tenant and carries a role; every composition
-- belongs to the tenant that created it. Rows from before tenants belong to tenant 'default', and keys
-- made before roles keep what they could do: create, cancel and delete (editor).
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS tenant text NOT NULL DEFAULT 'default';
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS role text NOT NULL DEFAULT 'editor'
    CHECK (role IN ('viewer', 'editor', 'admin'));

ALTER TABLE compositions ADD COLUMN IF NOT EXISTS tenant text NOT NULL DEFAULT 'default';
-- Lists are per tenant, newest first.
CREATE INDEX IF NOT EXISTS ix_compositions_tenant_created_at ON compositions (tenant, created_at DESC, id DESC);
-- An idempotency key is per tenant: two tenants may use the same key without seeing each other.
DROP INDEX IF EXISTS ux_compositions_idempotency_key;
CREATE UNIQUE INDEX IF NOT EXISTS ux_compositions_tenant_idempotency_key ON compositions (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;

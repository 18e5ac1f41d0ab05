-- API keys for /api: only the SHA-256 of each key is stored (base64url); the plaintext is shown once at creation.
CREATE TABLE api_keys (
    name          text        PRIMARY KEY,
    key_hash      text        NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    last_used_at  timestamptz
);

-- Customer portal links (E1): a token of 128 random bits per sending, stored as its SHA-256, bound
-- to one contact of one company, with an expiry from the company's settings.
CREATE TABLE portal_token (
    tenant_id   uuid        NOT NULL REFERENCES company (id),
    id          uuid        NOT NULL,
    token_hash  bytea       NOT NULL CHECK (length(token_hash) = 32),
    contact_id  uuid        NOT NULL,
    document_id uuid,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    last_used_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES document (tenant_id, id)
);
CREATE UNIQUE INDEX portal_token_hash_uq ON portal_token (token_hash);

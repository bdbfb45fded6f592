-- J2: an Idempotency-Key per company and endpoint; the primary key makes a repeat wait for the
-- first request's transaction and then find its answer (no check-then-insert).
CREATE TABLE idempotency_key (
    tenant_id     uuid        NOT NULL REFERENCES company (id),
    endpoint      text        NOT NULL,
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash  bytea       NOT NULL,
    status        integer,
    response_body text,
    location      text,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, endpoint, key)
);
CREATE INDEX idempotency_key_created_ix ON idempotency_key (created_at);

-- In-app notices to a company (a reply came, a quote was approved, ...): a message key and its
-- arguments, shown in the user's language, a link, read or not (per company).
CREATE TABLE notice (
    tenant_id  uuid        NOT NULL REFERENCES company (id),
    id         uuid        NOT NULL,
    key        text        NOT NULL CHECK (key ~ '^[a-zA-Z0-9.]{1,100}$'),
    args       text[]      NOT NULL DEFAULT '{}',
    link       text        CHECK (link ~ '^/[^/]'),
    dedupe_key text        CHECK (length(dedupe_key) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX notice_dedupe_ux ON notice (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX notice_unread_ix ON notice (tenant_id, created_at) WHERE read_at IS NULL;

-- The company's contact details, which the answer to HELP gives.
CREATE TABLE company_contact (
    tenant_id uuid PRIMARY KEY REFERENCES company (id),
    phone     text CHECK (length(phone) BETWEEN 1 AND 40),
    email     text CHECK (length(email) BETWEEN 3 AND 254)
);

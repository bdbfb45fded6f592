-- Companies (tenants), their users, operator users, API keys.
CREATE TABLE company (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    plan            text        NOT NULL CHECK (plan IN ('FREE', 'STARTER', 'STANDARD', 'PRO')),
    country         char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    time_zone       text        NOT NULL,
    language        text        NOT NULL CHECK (language IN ('en', 'fr', 'da')),
    sms_sender_name text        CHECK (length(sms_sender_name) BETWEEN 1 AND 11),
    sms_unlocked    boolean     NOT NULL DEFAULT false,
    sms_default_on  boolean     NOT NULL DEFAULT false,
    version         integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL
);

-- A user belongs to one company, or to none for operators; e-mail is unique across Herald.
CREATE TABLE app_user (
    id            uuid PRIMARY KEY,
    tenant_id     uuid REFERENCES company (id),
    email         text        NOT NULL CHECK (position('@' IN email) > 1),
    password_hash text        NOT NULL,
    display_name  text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'STAFF', 'OPERATOR')),
    language      text        CHECK (language IN ('en', 'fr', 'da')),
    enabled       boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL,
    CONSTRAINT operators_have_no_company CHECK ((role = 'OPERATOR') = (tenant_id IS NULL))
);
CREATE UNIQUE INDEX app_user_email_uq ON app_user (lower(email));
CREATE INDEX app_user_tenant_ix ON app_user (tenant_id) WHERE tenant_id IS NOT NULL;

-- API keys are stored as SHA-256 hashes of the opaque key; the key itself is shown once.
CREATE TABLE api_key (
    tenant_id  uuid        NOT NULL REFERENCES company (id),
    id         uuid        NOT NULL,
    name       text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    key_hash   bytea       NOT NULL CHECK (length(key_hash) = 32),
    key_hint   text        NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX api_key_hash_uq ON api_key (key_hash);

-- The embedded default's demo is created once: the second insert of row 1 conflicts.
CREATE TABLE demo_seed (
    id         integer PRIMARY KEY CHECK (id = 1),
    tenant_id  uuid        NOT NULL REFERENCES company (id),
    created_at timestamptz NOT NULL
);

-- Spring Session JDBC (schema-postgresql.sql of spring-session-jdbc).
CREATE TABLE spring_session (
    primary_id            char(36) NOT NULL,
    session_id            char(36) NOT NULL,
    creation_time         bigint   NOT NULL,
    last_access_time      bigint   NOT NULL,
    max_inactive_interval integer  NOT NULL,
    expiry_time           bigint   NOT NULL,
    principal_name        varchar(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);
CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id char(36)     NOT NULL,
    attribute_name     varchar(200) NOT NULL,
    attribute_bytes    bytea        NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);

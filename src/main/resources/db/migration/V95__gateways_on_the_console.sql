-- Issue 12, configuration: SMS gateways configured on the operator console, beside those set by
-- the environment. The settings are the keys of herald.delivery.gateways.<name>.* (kebab-case)
-- without the secrets; the secrets (passwords, API keys, webhook secrets) are one JSON object
-- sealed with AES-256-GCM under HERALD_SECRETS_KEY (the gateway's name as associated data), never
-- shown again. Every node polls (name, version, state) and starts, restarts or stops its copy.
-- A gateway being removed stays 'removing' (no new messages, receipts still heard) until none of
-- its messages has an unknown outcome; then a node deletes the row.
CREATE TABLE gateway_config (
    name           text             PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    kind           text             NOT NULL CHECK (kind IN ('smpp', 'kannel', 'http')),
    state          text             NOT NULL CHECK (state IN ('enabled', 'disabled', 'removing')),
    settings       jsonb            NOT NULL,
    secrets        bytea,
    max_per_second double precision NOT NULL CHECK (max_per_second > 0 AND max_per_second <= 100000),
    version        integer          NOT NULL CHECK (version >= 1),
    created_at     timestamptz      NOT NULL,
    updated_at     timestamptz      NOT NULL
);

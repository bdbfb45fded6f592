-- Issue 12, G2: routing and failover. The operator's routes (an ordered list of SMS gateways per
-- company or per destination country; configuration's routes apply where none is stored here),
-- and each node's view of its gateways (circuit breaker state, last error) and their traffic per
-- minute, which the operator console reads for the whole cluster.

CREATE TABLE gateway_route_company (
    tenant_id  uuid        NOT NULL REFERENCES company (id),
    gateways   text[]      NOT NULL CHECK (cardinality(gateways) BETWEEN 1 AND 10),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id)
);

CREATE TABLE gateway_route_country (
    country    text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    gateways   text[]      NOT NULL CHECK (cardinality(gateways) BETWEEN 1 AND 10),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (country)
);

-- One row per gateway and node, written by the node every few seconds.
CREATE TABLE gateway_health (
    gateway       text        NOT NULL,
    node          text        NOT NULL,
    state         text        NOT NULL CHECK (state IN ('closed', 'open', 'half_open', 'disabled')),
    failure_rate  real,
    last_error    text        CHECK (length(last_error) <= 300),
    last_error_at timestamptz,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (gateway, node)
);

-- Submits per gateway, node and minute (accepted and errors), kept for two hours.
CREATE TABLE gateway_traffic (
    gateway  text        NOT NULL,
    minute   timestamptz NOT NULL,
    node     text        NOT NULL,
    accepted integer     NOT NULL DEFAULT 0 CHECK (accepted >= 0),
    errors   integer     NOT NULL DEFAULT 0 CHECK (errors >= 0),
    PRIMARY KEY (gateway, minute, node)
);

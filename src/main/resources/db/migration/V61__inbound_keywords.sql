-- Inbound SMS keywords (issue 12, C5): which inbound SMS notification has applied for which
-- company, so that an InboundSmsReceived delivered twice (Modulith events are at least once) opts
-- a number out or in only once, and a STOP replayed after a START does not undo it.
CREATE TABLE inbound_keyword_applied (
    tenant_id  uuid        NOT NULL REFERENCES company (id),
    inbound_id uuid        NOT NULL,
    keyword    text        NOT NULL CHECK (keyword IN ('STOP', 'START', 'HELP')),
    applied_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, inbound_id)
);

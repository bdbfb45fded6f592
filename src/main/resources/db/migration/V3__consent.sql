-- Opt-out lives on the number (per company), not on a contact row: it survives edits of the
-- contact, covers every contact sharing the number, and outlives a deleted contact (C5).
CREATE TABLE sms_opt_out (
    tenant_id    uuid        NOT NULL REFERENCES company (id),
    number       text        NOT NULL CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
    opted_out_at timestamptz NOT NULL,
    source       text        NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
    PRIMARY KEY (tenant_id, number)
);

-- Append-only history of consent changes, with time and source.
CREATE TABLE consent_log (
    tenant_id   uuid        NOT NULL REFERENCES company (id),
    id          uuid        NOT NULL,
    number      text        NOT NULL,
    action      text        NOT NULL CHECK (action IN ('OPT_OUT', 'OPT_IN')),
    source      text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX consent_log_number_ix ON consent_log (tenant_id, number, occurred_at);

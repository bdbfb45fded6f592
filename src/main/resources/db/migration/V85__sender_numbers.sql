-- Senders (issue 12): the numbers the operator holds (long numbers in E.164, short codes), each on
-- a gateway or on any, and the companies that send from each. A number may be shared by several
-- companies: a STOP to it reaches every one of them. The operator owns the numbers; the
-- assignment is the company's (tenant first, tenant in its key).
CREATE TABLE sender_number (
    id         uuid        PRIMARY KEY,
    number     text        NOT NULL UNIQUE
        CHECK (number ~ '^\+[1-9][0-9]{6,14}$' OR number ~ '^[0-9]{3,8}$'),
    kind       text        NOT NULL CHECK (kind IN ('long', 'short')),
    country    text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    gateway    text        CHECK (length(gateway) BETWEEN 1 AND 60),
    created_at timestamptz NOT NULL,
    CONSTRAINT kind_matches_number CHECK ((kind = 'long') = (number LIKE '+%'))
);

CREATE TABLE sender_number_company (
    tenant_id   uuid        NOT NULL REFERENCES company (id),
    number_id   uuid        NOT NULL REFERENCES sender_number (id),
    assigned_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, number_id)
);
CREATE INDEX sender_number_company_number_ix ON sender_number_company (number_id);

-- The answers to STOP, START and HELP are free (no credit reserved): a kind of their own.
ALTER TABLE outbound_message DROP CONSTRAINT IF EXISTS outbound_message_kind_check;
ALTER TABLE outbound_message ADD CONSTRAINT outbound_message_kind_check
    CHECK (kind IN ('direct', 'reply', 'document', 'reminder', 'alert', 'account', 'bulk',
                    'keyword_answer'));

-- HELP is logged in the consent log too, with its time and source.
ALTER TABLE consent_log DROP CONSTRAINT IF EXISTS consent_log_action_check;
ALTER TABLE consent_log ADD CONSTRAINT consent_log_action_check
    CHECK (action IN ('OPT_OUT', 'OPT_IN', 'HELP'));
ALTER TABLE inbound_keyword_applied DROP CONSTRAINT IF EXISTS inbound_keyword_applied_keyword_check;
ALTER TABLE inbound_keyword_applied ADD CONSTRAINT inbound_keyword_applied_keyword_check
    CHECK (keyword IN ('STOP', 'START', 'HELP', 'REPLY'));

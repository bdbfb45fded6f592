-- Dispatch core (decision 0003, revised): a leaner hot row, unknown outcomes, priorities and fair
-- claims, validity, a suppression list and dedupe keys.
--
-- The happy path of a message is now: INSERT (queued), a claim that changes no indexed column (the
-- lease lives in lease_until, outside the claim index and its predicate, so the update is HOT), and
-- one record UPDATE (sent, with the gateway's ids). Attempt rows are written only for what is not
-- the happy path: transient and permanent failures, unknown outcomes, lapsed leases.
--
-- In the database a claimed row stays 'queued' with a lease in the future; readers show it as
-- 'sending'. 'sending' in the database means: a submit whose outcome is unknown (timed out, answer
-- lost, node died or lease lapsed). Such a row is not due until next_attempt_at, the end of the
-- gateway's window for news, when the gateway's policy resubmits it or fails it.

ALTER TABLE outbound_message SET (fillfactor = 70);

ALTER TABLE outbound_message
    ADD COLUMN kind                  text        NOT NULL DEFAULT 'direct'
        CHECK (kind IN ('direct', 'reply', 'document', 'reminder', 'alert', 'account', 'bulk')),
    ADD COLUMN priority              smallint    NOT NULL DEFAULT 2 CHECK (priority BETWEEN 0 AND 9),
    ADD COLUMN valid_until           timestamptz,
    ADD COLUMN dedupe_key            text        CHECK (length(dedupe_key) BETWEEN 1 AND 200),
    ADD COLUMN lease_until           timestamptz,
    ADD COLUMN lease_lapses          integer     NOT NULL DEFAULT 0 CHECK (lease_lapses >= 0),
    ADD COLUMN outcome_unknown_since timestamptz,
    ADD COLUMN cancel_requested      text,
    ADD COLUMN gateway_message_id    text,
    ADD COLUMN gateway_message_ids   text[],
    ADD COLUMN parts_submitted       integer     CHECK (parts_submitted >= 0);

-- A claimed row has its node; an unknown outcome has its time.
-- A row that an older Herald had claimed ('sending' with a lease in next_attempt_at) is a claimed
-- 'queued' row now: if its node is gone, its lease lapses into an unknown outcome.
UPDATE outbound_message SET status = 'queued', lease_until = next_attempt_at WHERE status = 'sending';

ALTER TABLE outbound_message ADD CONSTRAINT leased_rows_are_claimed
    CHECK (lease_until IS NULL OR claimed_by IS NOT NULL);
ALTER TABLE outbound_message ADD CONSTRAINT unknown_outcomes_have_a_time
    CHECK (status <> 'sending' OR outcome_unknown_since IS NOT NULL);

-- The claim walks companies with due work (a skip scan over tenant_id), then each company's rows by
-- priority and due time: the order of this index. Rows leave it when they are done.
DROP INDEX outbound_message_due_ix;
CREATE INDEX outbound_message_due_ix ON outbound_message (channel, tenant_id, priority, next_attempt_at)
    WHERE status IN ('queued', 'sending');

-- The UUIDv7 primary key is already in creation order within a company: lists use it.
DROP INDEX outbound_message_list_ix;

-- A caller's key for an event it may deliver twice: one message per company, key and channel.
CREATE UNIQUE INDEX outbound_message_dedupe_ux ON outbound_message (tenant_id, dedupe_key, channel)
    WHERE dedupe_key IS NOT NULL;

-- Delivery receipts (G4) find a message by the gateway's id of its first part; further parts of a
-- multi-part message are in outbound_gateway_part.
CREATE INDEX outbound_message_gateway_id_ix ON outbound_message (gateway, gateway_message_id)
    WHERE gateway_message_id IS NOT NULL;

DROP TABLE outbound_part;
CREATE TABLE outbound_gateway_part (
    gateway            text    NOT NULL,
    gateway_message_id text    NOT NULL,
    tenant_id          uuid    NOT NULL,
    message_id         uuid    NOT NULL,
    attempt            integer NOT NULL CHECK (attempt >= 1),
    part               integer NOT NULL CHECK (part >= 2),
    PRIMARY KEY (gateway, gateway_message_id, tenant_id, message_id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES outbound_message (tenant_id, id)
);

-- Attempts now exist only off the happy path; an attempt whose outcome is unknown says so.
ALTER TABLE outbound_attempt DROP CONSTRAINT outbound_attempt_outcome_check;
ALTER TABLE outbound_attempt ADD CONSTRAINT outbound_attempt_outcome_check
    CHECK (outcome IN ('SUBMITTED', 'TRANSIENT_FAILURE', 'PERMANENT_FAILURE', 'UNKNOWN', 'LEASE_LAPSED'));
ALTER TABLE outbound_attempt ADD COLUMN gateway_message_ids text[];

-- Recipients that may not be sent to (opted out), kept by notification from contact's opt-outs.
-- The claim checks it; nothing else decides.
CREATE TABLE delivery_suppression (
    tenant_id  uuid        NOT NULL REFERENCES company (id),
    channel    text        NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient  text        NOT NULL,
    reason     text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, channel, recipient)
);

-- Rate limits count parts (PDUs), as carriers do; a claim may end one message over its grant, so a
-- bucket may owe a little.
ALTER TABLE gateway_rate_limit DROP CONSTRAINT gateway_rate_limit_tokens_check;

CREATE OR REPLACE FUNCTION take_gateway_tokens(p_gateway text, p_wanted integer, p_rate double precision,
                                               p_burst double precision) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    available double precision;
    last      timestamptz;
    now_      timestamptz;
    granted   integer;
BEGIN
    SELECT tokens, refilled_at INTO available, last
    FROM gateway_rate_limit WHERE gateway = p_gateway FOR UPDATE;
    now_ := clock_timestamp();
    IF NOT FOUND THEN
        INSERT INTO gateway_rate_limit (gateway, tokens, refilled_at) VALUES (p_gateway, p_burst, now_)
        ON CONFLICT (gateway) DO NOTHING;
        SELECT tokens, refilled_at INTO available, last
        FROM gateway_rate_limit WHERE gateway = p_gateway FOR UPDATE;
        now_ := clock_timestamp();
    END IF;
    available := least(p_burst, available + greatest(0, extract(epoch FROM now_ - last)) * p_rate);
    granted := greatest(0, least(p_wanted, floor(available)))::integer;
    UPDATE gateway_rate_limit SET tokens = available - granted, refilled_at = now_
    WHERE gateway = p_gateway;
    RETURN granted;
END $$;

-- One bucket per gateway and sender (a long number takes about one part per second).
CREATE TABLE sender_rate_limit (
    gateway     text             NOT NULL,
    sender      text             NOT NULL,
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL,
    PRIMARY KEY (gateway, sender)
);

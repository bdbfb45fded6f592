-- The outbound queue (G1): one row per message and channel, written in the transaction of the
-- business action that caused it. Workers claim due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE outbound_message (
    tenant_id       uuid        NOT NULL REFERENCES company (id),
    id              uuid        NOT NULL,
    contact_id      uuid,
    channel         text        NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient       text        NOT NULL CHECK (length(recipient) BETWEEN 3 AND 320),
    subject         text,
    body            text        NOT NULL,
    encoding        text        CHECK (encoding IN ('GSM_7', 'UCS_2')),
    segments        integer     NOT NULL CHECK (segments >= 0),
    status          text        NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered',
                                                           'failed', 'expired', 'cancelled', 'no_credit')),
    status_reason   text,
    error_code      text,
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When the row is due: for 'queued' the next try, for 'sending' the end of the claim's lease.
    next_attempt_at timestamptz,
    claimed_by      text,
    gateway         text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id),
    CONSTRAINT sms_has_an_encoding CHECK ((channel = 'sms') = (encoding IS NOT NULL)),
    CONSTRAINT sms_recipient_is_e164 CHECK (channel <> 'sms' OR recipient ~ '^\+[1-9][0-9]{6,14}$'),
    CONSTRAINT email_recipient_has_at CHECK (channel <> 'email' OR position('@' IN recipient) > 1),
    CONSTRAINT due_rows_have_a_time CHECK (status NOT IN ('queued', 'sending') OR next_attempt_at IS NOT NULL),
    CONSTRAINT sending_rows_are_claimed CHECK (status <> 'sending' OR claimed_by IS NOT NULL),
    CONSTRAINT sent_rows_have_a_time CHECK (status NOT IN ('sent', 'delivered') OR sent_at IS NOT NULL)
);
-- The claim index holds due rows only: a row leaves it the moment it is sent or failed, so the hot
-- queue stays as small as the backlog, whatever the history.
CREATE INDEX outbound_message_due_ix ON outbound_message (channel, next_attempt_at)
    WHERE status IN ('queued', 'sending');
CREATE INDEX outbound_message_list_ix ON outbound_message (tenant_id, created_at DESC, id DESC);
CREATE INDEX outbound_message_contact_ix ON outbound_message (tenant_id, contact_id, created_at DESC)
    WHERE contact_id IS NOT NULL;

-- Every attempt, written when the message is claimed (before the gateway sees it): outcome NULL means
-- in flight, or unknown because the node died or lost its database session before recording it.
CREATE TABLE outbound_attempt (
    tenant_id     uuid        NOT NULL,
    message_id    uuid        NOT NULL,
    number        integer     NOT NULL CHECK (number >= 1),
    node          text        NOT NULL,
    gateway       text        NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    outcome       text        CHECK (outcome IN ('SUBMITTED', 'TRANSIENT_FAILURE', 'PERMANENT_FAILURE')),
    error_code    text,
    error_message text,
    PRIMARY KEY (tenant_id, message_id, number),
    FOREIGN KEY (tenant_id, message_id) REFERENCES outbound_message (tenant_id, id),
    CONSTRAINT finished_attempts_have_an_outcome CHECK ((outcome IS NULL) = (finished_at IS NULL))
);

-- The gateway's id for each part of a submitted message, for delivery receipts (G4).
CREATE TABLE outbound_part (
    tenant_id          uuid    NOT NULL,
    message_id         uuid    NOT NULL,
    attempt            integer NOT NULL,
    part               integer NOT NULL CHECK (part >= 1),
    gateway            text    NOT NULL,
    gateway_message_id text    NOT NULL,
    PRIMARY KEY (tenant_id, message_id, attempt, part),
    FOREIGN KEY (tenant_id, message_id, attempt) REFERENCES outbound_attempt (tenant_id, message_id, number)
);
CREATE INDEX outbound_part_gateway_id_ix ON outbound_part (gateway, gateway_message_id);

-- One token bucket per gateway, shared by every node: the messages-per-second limit holds across
-- the cluster. take_gateway_tokens() refills from the database clock, so the nodes' clocks do not
-- matter, and it reads the clock after taking the row lock, so waiting for the lock does not count.
CREATE TABLE gateway_rate_limit (
    gateway     text             PRIMARY KEY,
    tokens      double precision NOT NULL CHECK (tokens >= 0),
    refilled_at timestamptz      NOT NULL
);

CREATE FUNCTION take_gateway_tokens(p_gateway text, p_wanted integer, p_rate double precision,
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
    granted := least(p_wanted, floor(available))::integer;
    UPDATE gateway_rate_limit SET tokens = available - granted, refilled_at = now_
    WHERE gateway = p_gateway;
    RETURN granted;
END $$;

-- The built-in SMS simulator (embedded default): what the "carrier" received, per submission. A
-- fake carrier's log, so it has no foreign key to the queue; counted per message id and per node.
CREATE TABLE simulator_sms (
    tenant_id    uuid        NOT NULL REFERENCES company (id),
    id           uuid        NOT NULL,
    message_id   uuid        NOT NULL,
    node         text        NOT NULL,
    sender       text        NOT NULL,
    recipient    text        NOT NULL,
    text         text        NOT NULL,
    encoding     text        NOT NULL,
    parts        integer     NOT NULL CHECK (parts >= 1),
    gateway_ids  text[]      NOT NULL,
    submitted_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX simulator_sms_list_ix ON simulator_sms (tenant_id, submitted_at DESC, id DESC);
CREATE INDEX simulator_sms_message_ix ON simulator_sms (tenant_id, message_id);

-- How the simulator answers; one row, so every node on the database behaves the same.
-- remaining NULL: until told otherwise; a number: that many more submissions, then 'accept'.
CREATE TABLE simulator_control (
    id         integer     PRIMARY KEY CHECK (id = 1),
    mode       text        NOT NULL CHECK (mode IN ('accept', 'transient', 'permanent', 'stall')),
    remaining  integer     CHECK (remaining >= 0),
    error_code text,
    stall_ms   bigint      CHECK (stall_ms >= 0),
    updated_at timestamptz NOT NULL
);
INSERT INTO simulator_control (id, mode, updated_at) VALUES (1, 'accept', now());

-- The embedded default's mail sink: every e-mail it was given, never silently dropped.
CREATE TABLE mail_sink (
    tenant_id   uuid        NOT NULL REFERENCES company (id),
    id          uuid        NOT NULL,
    message_id  uuid        NOT NULL,
    node        text        NOT NULL,
    sender      text        NOT NULL,
    recipient   text        NOT NULL,
    subject     text,
    body        text        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX mail_sink_list_ix ON mail_sink (tenant_id, received_at DESC, id DESC);

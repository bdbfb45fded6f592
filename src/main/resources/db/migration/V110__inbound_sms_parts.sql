-- Parts of concatenated inbound SMS (issue 12 review): a long reply comes as several deliver_sm,
-- maybe on several binds of several nodes, each acknowledged once its part is stored here. The
-- part that completes its set joins them into one inbound_sms row; the parts stay a while, marked
-- joined, so that a part the SMSC delivers again is recognised and not taken for a new message.
CREATE TABLE inbound_sms_part (
    gateway     text        NOT NULL,
    sender      text        NOT NULL CHECK (length(sender) BETWEEN 1 AND 32),
    recipient   text        NOT NULL CHECK (length(recipient) <= 32),
    reference   integer     NOT NULL CHECK (reference BETWEEN 0 AND 65535),
    total       integer     NOT NULL CHECK (total BETWEEN 2 AND 255),
    sequence    integer     NOT NULL CHECK (sequence BETWEEN 1 AND total),
    text        text        NOT NULL,
    received_at timestamptz NOT NULL,
    joined_at   timestamptz,
    PRIMARY KEY (gateway, sender, recipient, reference, total, sequence)
);
CREATE INDEX inbound_sms_part_waiting_ix ON inbound_sms_part (received_at) WHERE joined_at IS NULL;
CREATE INDEX inbound_sms_part_joined_ix ON inbound_sms_part (joined_at) WHERE joined_at IS NOT NULL;

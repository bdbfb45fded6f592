-- Real carriers (issue 12): delivery receipts and inbound SMS as gateways hand them over.
--
-- A receipt is stored as it came (its id already in the gateway's canonical form), before the
-- carrier is acknowledged, and matched later through the database to the message part whose
-- gateway id it names: so a receipt that arrives on another node's bind, or before its
-- submit_sm_resp was recorded, still matches. Until it matches it is tried again with a growing
-- pause (next_match_at), and given up after a horizon (kept, with matched_at NULL).
-- The receipt belongs to no company until it matches; tenant_id and message_id then say whose.
CREATE TABLE delivery_receipt (
    gateway            text        NOT NULL,
    id                 uuid        NOT NULL,
    gateway_message_id text        NOT NULL CHECK (length(gateway_message_id) BETWEEN 1 AND 100),
    state              text        NOT NULL CHECK (state IN ('delivered', 'failed', 'expired', 'pending',
                                                             'unknown')),
    error_code         text        CHECK (length(error_code) <= 100),
    received_at        timestamptz NOT NULL,
    match_tries        integer     NOT NULL DEFAULT 0 CHECK (match_tries >= 0),
    next_match_at      timestamptz,
    matched_at         timestamptz,
    tenant_id          uuid,
    message_id         uuid,
    part               integer     CHECK (part >= 1),
    PRIMARY KEY (gateway, id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES outbound_message (tenant_id, id),
    CONSTRAINT matched_receipts_name_their_part
        CHECK ((matched_at IS NULL) = (message_id IS NULL) AND (message_id IS NULL) = (part IS NULL)
               AND (tenant_id IS NULL) = (message_id IS NULL))
);
-- The matcher's queue: receipts still to match, by when they are due.
CREATE INDEX delivery_receipt_unmatched_ix ON delivery_receipt (next_match_at)
    WHERE matched_at IS NULL AND next_match_at IS NOT NULL;
-- Receipts still unmatched by id: a late submit answer nudges those that came before it.
CREATE INDEX delivery_receipt_unmatched_id_ix ON delivery_receipt (gateway, gateway_message_id)
    WHERE matched_at IS NULL;
-- A message's receipts, to settle it when all its parts have theirs.
CREATE INDEX delivery_receipt_message_ix ON delivery_receipt (tenant_id, message_id)
    WHERE message_id IS NOT NULL;

-- Parts 2.. of a multi-part message are found by their gateway id (receipts); the primary key
-- (gateway, gateway_message_id, tenant_id, message_id) already leads with it.

-- When the carrier said the message reached the handset (or failed or expired there).
ALTER TABLE outbound_message ADD COLUMN receipt_at timestamptz;

-- Inbound SMS (mobile originated) as a gateway received it; published to the companies it belongs
-- to (InboundSmsReceived) by the inbox, once: published_at.
CREATE TABLE inbound_sms (
    gateway      text        NOT NULL,
    id           uuid        NOT NULL,
    sender       text        NOT NULL CHECK (length(sender) BETWEEN 1 AND 32),
    recipient    text        NOT NULL CHECK (length(recipient) <= 32),
    text         text        NOT NULL,
    received_at  timestamptz NOT NULL,
    published_at timestamptz,
    PRIMARY KEY (gateway, id)
);
CREATE INDEX inbound_sms_unpublished_ix ON inbound_sms (received_at) WHERE published_at IS NULL;

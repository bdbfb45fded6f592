-- Conversation (issue 12, G5): every inbound SMS that is not a keyword, kept against the company
-- and (when its number is one of theirs) the contact, and the replies written from the contact's
-- page. inbound_id makes a repeated InboundSmsReceived harmless.
CREATE TABLE conversation_message (
    tenant_id   uuid        NOT NULL REFERENCES company (id),
    id          uuid        NOT NULL,
    contact_id  uuid,
    direction   text        NOT NULL CHECK (direction IN ('in', 'out')),
    number      text        NOT NULL CHECK (length(number) BETWEEN 1 AND 32),
    text        text        NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    inbound_id  uuid,
    message_id  uuid,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT inbound_has_its_sms CHECK ((direction = 'in') = (inbound_id IS NOT NULL))
);
CREATE UNIQUE INDEX conversation_message_inbound_ux ON conversation_message (tenant_id, inbound_id)
    WHERE inbound_id IS NOT NULL;
CREATE INDEX conversation_message_contact_ix ON conversation_message (tenant_id, contact_id, occurred_at);

-- Overdue reminders (D3): one row per document and reminder number, claimed by the reminder run
-- with INSERT ... ON CONFLICT DO NOTHING, so that runs on several nodes queue each reminder once.
CREATE TABLE document_reminder (
    tenant_id        uuid        NOT NULL,
    document_id      uuid        NOT NULL,
    number           integer     NOT NULL CHECK (number BETWEEN 1 AND 10),
    queued_at        timestamptz NOT NULL,
    sms_message_id   uuid,
    email_message_id uuid,
    PRIMARY KEY (tenant_id, document_id, number),
    FOREIGN KEY (tenant_id, document_id) REFERENCES document (tenant_id, id)
);

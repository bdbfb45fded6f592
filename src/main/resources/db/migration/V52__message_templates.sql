-- Templates per communication kind and language (F1) that a company changed; a kind and language
-- without a row uses Herald's default text.
CREATE TABLE message_template (
    tenant_id     uuid        NOT NULL REFERENCES company (id),
    kind          text        NOT NULL CHECK (kind IN ('quote_sent', 'invoice_sent', 'quote_reminder',
                                                       'invoice_reminder')),
    language      text        NOT NULL CHECK (language IN ('en', 'fr', 'da')),
    sms_text      text        NOT NULL CHECK (length(sms_text) BETWEEN 1 AND 2000),
    email_subject text        NOT NULL CHECK (length(email_subject) BETWEEN 1 AND 300),
    email_body    text        NOT NULL CHECK (length(email_body) BETWEEN 1 AND 10000),
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, kind, language)
);

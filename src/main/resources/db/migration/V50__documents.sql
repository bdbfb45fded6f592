-- Documents a company sends its own customers (quotes and invoices, issue 11). Not billing's
-- invoices (Herald's invoices to companies): those are billing_invoice.

-- Per company: the currency of its documents, payment terms, how long a portal link lasts, and the
-- overdue reminders' schedule (D3). A row appears the first time a company's settings are read.
CREATE TABLE document_settings (
    tenant_id            uuid        PRIMARY KEY REFERENCES company (id),
    currency             char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    payment_days         integer     NOT NULL DEFAULT 14 CHECK (payment_days BETWEEN 0 AND 365),
    portal_link_days     integer     NOT NULL DEFAULT 60 CHECK (portal_link_days BETWEEN 1 AND 365),
    reminders_enabled    boolean     NOT NULL DEFAULT true,
    reminder_days        integer[]   NOT NULL DEFAULT '{3,7,14}'
                                     CHECK (cardinality(reminder_days) BETWEEN 1 AND 10),
    max_reminders        integer     NOT NULL DEFAULT 3 CHECK (max_reminders BETWEEN 0 AND 10),
    reminder_hour        integer     NOT NULL DEFAULT 10 CHECK (reminder_hour BETWEEN 8 AND 20),
    version              integer     NOT NULL DEFAULT 0,
    updated_at           timestamptz NOT NULL
);

-- The last number given per company and kind: numbers follow each other without gaps.
CREATE TABLE document_number (
    tenant_id   uuid    NOT NULL REFERENCES company (id),
    kind        text    NOT NULL CHECK (kind IN ('quote', 'invoice')),
    last_number integer NOT NULL CHECK (last_number > 0),
    PRIMARY KEY (tenant_id, kind)
);

CREATE TABLE document (
    tenant_id      uuid        NOT NULL REFERENCES company (id),
    id             uuid        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('quote', 'invoice')),
    number         integer     NOT NULL CHECK (number > 0),
    contact_id     uuid        NOT NULL,
    currency       char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    issue_date     date        NOT NULL,
    due_date       date        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('draft', 'sent', 'viewed', 'approved',
                                                          'declined', 'paid')),
    note           text        CHECK (length(note) <= 2000),
    subtotal       bigint      NOT NULL,
    tax_total      bigint      NOT NULL,
    total          bigint      NOT NULL,
    sent_at        timestamptz,
    viewed_at      timestamptz,
    answered_at    timestamptz,
    answer_comment text        CHECK (length(answer_comment) <= 2000),
    paid_at        timestamptz,
    version        integer     NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id),
    CONSTRAINT document_number_uq UNIQUE (tenant_id, kind, number),
    CONSTRAINT due_not_before_issue CHECK (due_date >= issue_date),
    CONSTRAINT answers_are_for_quotes CHECK (kind = 'quote' OR status NOT IN ('approved', 'declined')),
    CONSTRAINT payments_are_for_invoices CHECK (kind = 'invoice' OR status <> 'paid'),
    CONSTRAINT totals_add_up CHECK (total = subtotal + tax_total)
);
CREATE INDEX document_list_ix ON document (tenant_id, created_at DESC, id DESC);
CREATE INDEX document_contact_ix ON document (tenant_id, contact_id, created_at DESC);
-- The reminder run looks for sent invoices and quotes still waiting, across companies.
CREATE INDEX document_waiting_ix ON document (kind, due_date, sent_at)
    WHERE status IN ('sent', 'viewed');

-- Lines: quantity times unit price is the net amount; tax per line, rounded half-even (ARCHITECTURE).
CREATE TABLE document_line (
    tenant_id   uuid          NOT NULL,
    document_id uuid          NOT NULL,
    position    integer       NOT NULL CHECK (position >= 0),
    description text          NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 500),
    quantity    numeric(12,3) NOT NULL CHECK (quantity > 0),
    unit_price  bigint        NOT NULL CHECK (unit_price >= 0),
    tax_rate    numeric(6,3)  NOT NULL CHECK (tax_rate BETWEEN 0 AND 100),
    net_amount  bigint        NOT NULL,
    tax_amount  bigint        NOT NULL,
    PRIMARY KEY (tenant_id, document_id, position),
    FOREIGN KEY (tenant_id, document_id) REFERENCES document (tenant_id, id) ON DELETE CASCADE
);

-- Each time a document went out: when, by whom, on which channels (the messages are delivery's).
CREATE TABLE document_sending (
    tenant_id        uuid        NOT NULL,
    id               uuid        NOT NULL,
    document_id      uuid        NOT NULL,
    sent_at          timestamptz NOT NULL,
    sent_by          text        NOT NULL,
    sms_message_id   uuid,
    email_message_id uuid,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES document (tenant_id, id)
);
CREATE INDEX document_sending_document_ix ON document_sending (tenant_id, document_id, sent_at);

-- Billing (issue 9): the operator's prices and taxes (H5), Herald's invoices to companies (H4) and
-- the monthly-blocks subscriptions with their billing runs (H1, B1).

-- Per currency: the block of the monthly model (default 500 SMS for 25.00).
CREATE TABLE sms_price (
    currency     char(3)     PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$'),
    block_size   integer     NOT NULL CHECK (block_size BETWEEN 1 AND 1000000),
    block_price  bigint      NOT NULL CHECK (block_price >= 0),
    updated_at   timestamptz NOT NULL
);
INSERT INTO sms_price (currency, block_size, block_price, updated_at) VALUES
    ('CAD', 500, 2500, now()), ('USD', 500, 2500, now()), ('EUR', 500, 2500, now()),
    ('DKK', 500, 2500, now());

-- Per currency: the credit packs of the prepaid model.
CREATE TABLE sms_pack (
    id         uuid        PRIMARY KEY,
    currency   char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    sms        integer     NOT NULL CHECK (sms BETWEEN 1 AND 10000000),
    price      bigint      NOT NULL CHECK (price >= 0),
    created_at timestamptz NOT NULL,
    CONSTRAINT sms_pack_uq UNIQUE (currency, sms)
);

-- Named tax rates per country, or per subdivision (ISO 3166-2) where that subdivision has its own
-- list: CA-QC charges GST and QST, DK charges moms. A buyer's subdivision list wins over its
-- country's.
CREATE TABLE tax_rate (
    id          uuid          PRIMARY KEY,
    region      text          NOT NULL CHECK (region ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
    name        text          NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 40),
    rate        numeric(7, 4) NOT NULL CHECK (rate >= 0 AND rate <= 100),
    position    integer       NOT NULL DEFAULT 0,
    created_at  timestamptz   NOT NULL,
    CONSTRAINT tax_rate_uq UNIQUE (region, name)
);
INSERT INTO tax_rate (id, region, name, rate, position, created_at) VALUES
    ('01900000-0000-7000-8000-000000000001', 'CA', 'GST', 5, 1, now()),
    ('01900000-0000-7000-8000-000000000002', 'CA-QC', 'GST', 5, 1, now()),
    ('01900000-0000-7000-8000-000000000003', 'CA-QC', 'QST', 9.975, 2, now()),
    ('01900000-0000-7000-8000-000000000004', 'DK', 'Moms', 25, 1, now());

-- Who issues the invoices, with the counter row of its gap-free numbers: the number is taken by an
-- UPDATE in the invoice's own transaction, so a rollback gives it back.
CREATE TABLE billing_seller (
    id                  integer     PRIMARY KEY CHECK (id = 1),
    name                text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    address             text        NOT NULL DEFAULT '',
    country             char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    tax_numbers         text        NOT NULL DEFAULT '',
    email               text        NOT NULL DEFAULT '',
    invoice_prefix      text        NOT NULL DEFAULT 'H-' CHECK (length(invoice_prefix) <= 10),
    next_invoice_number bigint      NOT NULL DEFAULT 1 CHECK (next_invoice_number >= 1),
    unlock_on_payment   boolean     NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL
);
INSERT INTO billing_seller (id, name, address, country, tax_numbers, email, updated_at)
VALUES (1, 'Herald ApS', 'Vesterbrogade 1, 1620 København V', 'DK', 'CVR DK12345678', 'billing@herald.test', now());

-- Herald's invoices to companies (never "documents": those are the companies' own to customers).
-- Seller and buyer details are copied in, so an invoice never changes after it is issued.
CREATE TABLE billing_invoice (
    tenant_id          uuid        NOT NULL REFERENCES company (id),
    id                 uuid        NOT NULL,
    seller_id          integer     NOT NULL REFERENCES billing_seller (id),
    number             bigint      NOT NULL,
    display_number     text        NOT NULL,
    kind               text        NOT NULL CHECK (kind IN ('first_block', 'monthly', 'purchase')),
    status             text        NOT NULL CHECK (status IN ('open', 'paid', 'void')),
    currency           char(3)     NOT NULL,
    language           text        NOT NULL CHECK (language IN ('en', 'fr', 'da')),
    issued_at          timestamptz NOT NULL,
    paid_at            timestamptz,
    voided_at          timestamptz,
    seller_name        text        NOT NULL,
    seller_address     text        NOT NULL,
    seller_country     char(2)     NOT NULL,
    seller_tax_numbers text        NOT NULL,
    buyer_name         text        NOT NULL,
    buyer_address      text        NOT NULL,
    buyer_country      char(2)     NOT NULL,
    buyer_subdivision  text,
    buyer_vat_number   text,
    reverse_charge     boolean     NOT NULL,
    subtotal           bigint      NOT NULL,
    tax_total          bigint      NOT NULL,
    total              bigint      NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT billing_invoice_number_uq UNIQUE (seller_id, number),
    CONSTRAINT billing_invoice_totals CHECK (total = subtotal + tax_total),
    CONSTRAINT billing_invoice_paid_has_time CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
    CONSTRAINT billing_invoice_void_has_time CHECK ((status = 'void') = (voided_at IS NOT NULL))
);
CREATE INDEX billing_invoice_list_ix ON billing_invoice (tenant_id, issued_at DESC);
CREATE INDEX billing_invoice_status_ix ON billing_invoice (status, issued_at DESC);

-- Lines: what was sold. kind + quantities let the page and the PDF word them in any language.
CREATE TABLE billing_invoice_line (
    tenant_id    uuid        NOT NULL,
    invoice_id   uuid        NOT NULL,
    position     integer     NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('block', 'overage', 'pack')),
    quantity     integer     NOT NULL CHECK (quantity >= 1),
    sms          bigint      NOT NULL CHECK (sms >= 0),
    unit_price   bigint      NOT NULL,
    amount       bigint      NOT NULL,
    period_start date,
    period_end   date,
    PRIMARY KEY (tenant_id, invoice_id, position),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing_invoice (tenant_id, id)
);

-- Each tax charged, summed over the lines (each line's tax rounded half-even).
CREATE TABLE billing_invoice_tax (
    tenant_id  uuid          NOT NULL,
    invoice_id uuid          NOT NULL,
    position   integer       NOT NULL,
    name       text          NOT NULL,
    rate       numeric(7, 4) NOT NULL,
    amount     bigint        NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id, position),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing_invoice (tenant_id, id)
);

-- The monthly-blocks subscription (B1): asked for by the company, started at the operator's unlock;
-- period n runs from started_at + n months to started_at + n+1 months in the company's time zone.
CREATE TABLE sms_subscription (
    tenant_id         uuid        PRIMARY KEY REFERENCES billing_account (tenant_id),
    status            text        NOT NULL CHECK (status IN ('requested', 'active', 'ended')),
    requested_at      timestamptz,
    started_at        timestamptz,
    period            integer     NOT NULL DEFAULT 0 CHECK (period >= 0),
    period_ends_at    timestamptz,
    first_invoice_id  uuid,
    stop_requested_at timestamptz,
    ended_at          timestamptz,
    version           integer     NOT NULL DEFAULT 0,
    CONSTRAINT active_has_a_period CHECK (status <> 'active' OR (started_at IS NOT NULL AND period_ends_at IS NOT NULL)),
    FOREIGN KEY (tenant_id, first_invoice_id) REFERENCES billing_invoice (tenant_id, id)
);
CREATE INDEX sms_subscription_due_ix ON sms_subscription (period_ends_at) WHERE status = 'active';

-- One row per company and ended period: what the billing run invoiced for it. The primary key makes
-- the run idempotent per company and period, whichever node runs it and however often.
CREATE TABLE billing_period (
    tenant_id      uuid        NOT NULL REFERENCES billing_account (tenant_id),
    period         integer     NOT NULL,
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    used           bigint      NOT NULL CHECK (used >= 0),
    overage_blocks integer     NOT NULL CHECK (overage_blocks >= 0),
    next_block     boolean     NOT NULL,
    invoice_id     uuid,
    run_id         uuid        NOT NULL,
    billed_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, period),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing_invoice (tenant_id, id)
);

-- Each billing run and what it produced, for the operator console.
CREATE TABLE billing_run (
    id          uuid        PRIMARY KEY,
    node        text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    companies   integer     NOT NULL DEFAULT 0,
    invoices    integer     NOT NULL DEFAULT 0,
    failures    integer     NOT NULL DEFAULT 0
);
CREATE INDEX billing_run_time_ix ON billing_run (started_at DESC);

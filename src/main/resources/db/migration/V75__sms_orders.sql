-- Orders of SMS (issue 10, H3): a company buys a pack; billing owns the order and its state, payment
-- knows it only as an opaque reference (the order's id) with the operator as payee.

-- The billing details' country (the buyer's country for taxes and reverse charge); NULL: the
-- company's own country.
ALTER TABLE billing_account ADD COLUMN buyer_country char(2) CHECK (buyer_country ~ '^[A-Z]{2}$');

-- draft > awaiting_payment (price and taxes frozen from the server's price list) > paid | failed |
-- cancelled | expired; a transfer that arrives after expiry still pays an expired order.
CREATE TABLE sms_order (
    tenant_id        uuid        NOT NULL REFERENCES company (id),
    id               uuid        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('draft', 'awaiting_payment', 'paid', 'failed',
                                                            'cancelled', 'expired')),
    pack_id          uuid,
    sms              integer     NOT NULL CHECK (sms > 0),
    currency         char(3)     NOT NULL,
    buyer_name       text        CHECK (length(buyer_name) <= 200),
    buyer_address    text        CHECK (length(buyer_address) <= 500),
    buyer_country    char(2)     CHECK (buyer_country ~ '^[A-Z]{2}$'),
    buyer_vat_number text        CHECK (length(buyer_vat_number) <= 40),
    buyer_email      text        CHECK (length(buyer_email) <= 254),
    method           text        CHECK (method IN ('CARD', 'APPLE_PAY', 'GOOGLE_PAY', 'PAYPAL', 'BANK_TRANSFER')),
    -- Frozen on awaiting_payment, never from the form.
    unit_price       bigint      CHECK (unit_price > 0),
    subtotal         bigint,
    tax_total        bigint,
    total            bigint,
    reverse_charge   boolean,
    payment_id       uuid,
    invoice_id       uuid,
    checkout_url     text,
    creditor_reference text,
    bank_account_holder text,
    bank_iban        text,
    bank_bic         text,
    expected_by      date,
    failure_reason   text,
    idempotency_key  text        CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    created_at       timestamptz NOT NULL,
    awaiting_since   timestamptz,
    expires_at       timestamptz,
    rechecked_at     timestamptz,
    paid_at          timestamptz,
    closed_at        timestamptz,
    version          integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing_invoice (tenant_id, id),
    CONSTRAINT sms_order_frozen CHECK (status IN ('draft', 'cancelled') OR (total IS NOT NULL AND subtotal IS NOT NULL
        AND tax_total IS NOT NULL AND total = subtotal + tax_total AND method IS NOT NULL
        AND expires_at IS NOT NULL AND awaiting_since IS NOT NULL)),
    CONSTRAINT sms_order_paid_has_time CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
CREATE UNIQUE INDEX sms_order_idempotency_uq ON sms_order (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX sms_order_list_ix ON sms_order (tenant_id, created_at DESC);
CREATE INDEX sms_order_waiting_ix ON sms_order (expires_at) WHERE status = 'awaiting_payment';

-- The payment methods the operator offers per country (H3); a country without a row offers the
-- default list.
CREATE TABLE payment_method_country (
    country    char(2)     PRIMARY KEY CHECK (country ~ '^[A-Z]{2}$'),
    methods    text[]      NOT NULL CHECK (cardinality(methods) >= 1
        AND methods <@ ARRAY['CARD', 'APPLE_PAY', 'GOOGLE_PAY', 'PAYPAL', 'BANK_TRANSFER']::text[]),
    updated_at timestamptz NOT NULL
);

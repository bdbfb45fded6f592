-- Payments (issue 10): one row per checkout, owned by the company it concerns (the buyer of SMS, or
-- the company whose customer pays). The payee is the operator or that same company. Final states
-- (settled, failed, cancelled) never move back, except cancelled -> settled when money arrives
-- after all; PaymentTransitions enforces it and payment_transition keeps the history.
CREATE TABLE payment (
    tenant_id           uuid        NOT NULL REFERENCES company (id),
    id                  uuid        NOT NULL,
    payee_kind          text        NOT NULL CHECK (payee_kind IN ('operator', 'company')),
    payee_tenant_id     uuid,
    reference_kind      text        NOT NULL CHECK (reference_kind IN ('sms_order', 'document_invoice')),
    reference           text        NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    amount_minor        bigint      NOT NULL CHECK (amount_minor > 0),
    currency            char(3)     NOT NULL,
    method              text        NOT NULL CHECK (method IN ('card', 'apple_pay', 'google_pay', 'paypal', 'bank_transfer')),
    provider            text        NOT NULL CHECK (provider IN ('sandbox', 'stripe', 'bank_transfer')),
    -- Whose provider account took it: 'operator' or the company's own ('company').
    account             text        NOT NULL CHECK (account IN ('operator', 'company')),
    provider_session_id text,
    checkout_url        text,
    creditor_reference  text        CHECK (creditor_reference ~ '^RF[0-9]{2}[0-9A-Z]{1,21}$'),
    expected_by         date,
    description         text        NOT NULL DEFAULT '',
    buyer_email         text,
    locale              text        NOT NULL DEFAULT 'en',
    return_url          text,
    status              text        NOT NULL CHECK (status IN ('pending', 'processing', 'settled', 'failed', 'cancelled')),
    failure_reason      text,
    idempotency_key     text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    settled_at          timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key),
    -- A company is paid only by its own customers: its payments are its own rows.
    CHECK ((payee_kind = 'operator' AND payee_tenant_id IS NULL)
        OR (payee_kind = 'company' AND payee_tenant_id = tenant_id)),
    CHECK ((provider = 'bank_transfer') = (creditor_reference IS NOT NULL)),
    CHECK (status <> 'settled' OR settled_at IS NOT NULL)
);
CREATE UNIQUE INDEX payment_creditor_reference_uq ON payment (creditor_reference)
    WHERE creditor_reference IS NOT NULL;
CREATE UNIQUE INDEX payment_provider_session_uq ON payment (provider, provider_session_id)
    WHERE provider_session_id IS NOT NULL;
-- Pending transfers for the operator's list, oldest first.
CREATE INDEX payment_open_transfers ON payment (created_at)
    WHERE provider = 'bank_transfer' AND status IN ('pending', 'cancelled');

-- Every state change, with what caused it (a provider event, a recorded transfer, a refresh).
CREATE TABLE payment_transition (
    tenant_id   uuid        NOT NULL,
    payment_id  uuid        NOT NULL,
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    from_status text        NOT NULL,
    to_status   text        NOT NULL,
    cause       text        NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, payment_id, seq),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payment (tenant_id, id)
);

-- The webhook inbox: provider events by the provider's own event id. A row is stored (and
-- committed) before it is processed; processed_at is set in the transaction that applies it, so an
-- event whose processing did not complete is taken up again (a repeat, start-up, the periodic job).
CREATE TABLE payment_event (
    provider     text        NOT NULL CHECK (provider IN ('sandbox', 'stripe')),
    event_id     text        NOT NULL CHECK (length(event_id) BETWEEN 1 AND 255),
    account      text        NOT NULL,
    type         text        NOT NULL,
    payload      text        NOT NULL,
    received_at  timestamptz NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text,
    processed_at timestamptz,
    outcome      text,
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX payment_event_unprocessed ON payment_event (received_at) WHERE processed_at IS NULL;

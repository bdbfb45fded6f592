-- Bank transfers the operator's bank received (issue 10): recorded by an operator; the same
-- transfer (reference, amount, date) recorded again changes nothing. A transfer that did not settle
-- a payment by itself (wrong amount, unknown reference, payment already settled) is kept flagged.
CREATE TABLE bank_transfer_received (
    id                 uuid        PRIMARY KEY,
    reference          text        NOT NULL CHECK (length(reference) BETWEEN 1 AND 64),
    amount_minor       bigint      NOT NULL CHECK (amount_minor > 0),
    currency           char(3)     NOT NULL,
    received_on        date        NOT NULL,
    recorded_by        text        NOT NULL,
    recorded_at        timestamptz NOT NULL,
    payment_tenant_id  uuid,
    payment_id         uuid,
    outcome            text        NOT NULL CHECK (outcome IN ('settled', 'flagged')),
    flag_reason        text        CHECK (flag_reason IN ('wrong_amount', 'unknown_reference', 'invalid_reference', 'already_settled')),
    UNIQUE (reference, amount_minor, currency, received_on),
    FOREIGN KEY (payment_tenant_id, payment_id) REFERENCES payment (tenant_id, id),
    CHECK ((outcome = 'flagged') = (flag_reason IS NOT NULL))
);
CREATE INDEX bank_transfer_flagged ON bank_transfer_received (recorded_at) WHERE outcome = 'flagged';

-- A company's own provider account (Settings > Payments): its Stripe secret key and webhook signing
-- secret, encrypted with AES-GCM under HERALD_SECRETS_KEY; only the last four characters in clear.
CREATE TABLE payment_account (
    tenant_id              uuid        NOT NULL REFERENCES company (id),
    provider               text        NOT NULL CHECK (provider IN ('stripe')),
    secret_key_sealed      bytea       NOT NULL,
    secret_key_hint        text        NOT NULL,
    webhook_secret_sealed  bytea       NOT NULL,
    webhook_secret_hint    text        NOT NULL,
    updated_at             timestamptz NOT NULL,
    updated_by             text        NOT NULL,
    PRIMARY KEY (tenant_id, provider)
);

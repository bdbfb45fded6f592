-- Billing (issue 9): each company's SMS model and wallet, and the credit ledger that moves it.

-- Per company: the SMS model the operator chose (NULL: none yet, no SMS), its currency, the buyer's
-- billing details for invoices and the low-credit threshold the admin sets.
CREATE TABLE billing_account (
    tenant_id            uuid        PRIMARY KEY REFERENCES company (id),
    model                text        CHECK (model IN ('packs', 'blocks')),
    currency             char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    low_credit_threshold integer     NOT NULL DEFAULT 50 CHECK (low_credit_threshold BETWEEN 0 AND 1000000),
    buyer_name           text        CHECK (length(buyer_name) <= 200),
    buyer_address        text        CHECK (length(buyer_address) <= 500),
    buyer_subdivision    text        CHECK (buyer_subdivision ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$'),
    buyer_vat_number     text        CHECK (length(buyer_vat_number) BETWEEN 2 AND 40),
    buyer_email          text        CHECK (position('@' IN buyer_email) > 1),
    version              integer     NOT NULL DEFAULT 0,
    updated_at           timestamptz NOT NULL
);

-- The prepaid balance in SMS (billed segments). Only reserve, release and grant change it, each in
-- the same statement as its ledger row.
CREATE TABLE credit_wallet (
    tenant_id  uuid        PRIMARY KEY REFERENCES billing_account (tenant_id),
    balance    bigint      NOT NULL DEFAULT 0 CHECK (balance >= 0),
    updated_at timestamptz NOT NULL
);

-- Every movement of credit, append-only (the trigger below refuses UPDATE and DELETE). A repeat of
-- an idempotency key finds the first row instead of moving credit twice.
--   grant   +units to the balance (purchase, operator's gift)
--   reserve -units (packs; 0 for blocks, which are postpaid) when messages are queued
--   capture  units made final (no balance change): the usage
--   release +units given back for references no carrier accepted (packs)
CREATE TABLE credit_ledger (
    tenant_id       uuid        NOT NULL REFERENCES billing_account (tenant_id),
    id              uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('grant', 'reserve', 'capture', 'release')),
    units           bigint      NOT NULL CHECK (units >= 0),
    balance_change  bigint      NOT NULL,
    idempotency_key text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    reason          text        CHECK (length(reason) <= 500),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT credit_ledger_idempotency_uq UNIQUE (tenant_id, kind, idempotency_key),
    CONSTRAINT credit_ledger_sign CHECK (
        (kind = 'grant' AND balance_change = units) OR
        (kind = 'reserve' AND balance_change IN (0, -units)) OR
        (kind = 'capture' AND balance_change = 0) OR
        (kind = 'release' AND balance_change IN (0, units)))
);
CREATE INDEX credit_ledger_list_ix ON credit_ledger (tenant_id, created_at DESC);

CREATE FUNCTION credit_ledger_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit_ledger is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER credit_ledger_append_only BEFORE UPDATE OR DELETE ON credit_ledger
    FOR EACH ROW EXECUTE FUNCTION credit_ledger_is_append_only();
CREATE TRIGGER credit_ledger_no_truncate BEFORE TRUNCATE ON credit_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION credit_ledger_is_append_only();

-- What one reservation took, per opaque reference (a message for delivery); inserted in the
-- reserve's statement. prepaid: taken from the wallet (packs), so a release gives it back.
CREATE TABLE credit_reservation (
    tenant_id  uuid        NOT NULL,
    reference  uuid        NOT NULL,
    ledger_id  uuid        NOT NULL,
    units      integer     NOT NULL CHECK (units >= 0),
    prepaid    boolean     NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, reference),
    FOREIGN KEY (tenant_id, ledger_id) REFERENCES credit_ledger (tenant_id, id)
);
CREATE INDEX credit_reservation_ledger_ix ON credit_reservation (tenant_id, ledger_id);

-- How a reservation ended, once per reference ever: captured (used) or released (given back). The
-- primary key is what makes a release reported twice release once.
CREATE TABLE credit_settlement (
    tenant_id  uuid        NOT NULL,
    reference  uuid        NOT NULL,
    outcome    text        NOT NULL CHECK (outcome IN ('captured', 'released')),
    units      integer     NOT NULL CHECK (units >= 0),
    ledger_id  uuid        NOT NULL,
    settled_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, reference),
    FOREIGN KEY (tenant_id, reference) REFERENCES credit_reservation (tenant_id, reference),
    FOREIGN KEY (tenant_id, ledger_id) REFERENCES credit_ledger (tenant_id, id)
);

-- Usage, one row per recorded batch and company: what the monthly model bills and what the
-- Billing page counts.
CREATE TABLE sms_usage (
    tenant_id   uuid        NOT NULL REFERENCES billing_account (tenant_id),
    batch_id    uuid        NOT NULL,
    units       bigint      NOT NULL CHECK (units >= 0),
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, batch_id)
);
CREATE INDEX sms_usage_time_ix ON sms_usage (tenant_id, recorded_at);

-- Money the operator took for an SMS order that the order could not use: a second payment of an
-- order already paid (two checkouts, a card and a transfer), a payment of another amount than the
-- order's, a late payment after the company moved to the other SMS model. Nothing is granted for
-- it; it is kept here, once per payment, until the operator has refunded it (outside Herald: at
-- the payment provider or the bank) and says so on the console.
CREATE TABLE sms_order_refund (
    tenant_id    uuid        NOT NULL REFERENCES company (id),
    payment_id   uuid        NOT NULL,
    order_id     uuid        NOT NULL,
    amount_minor bigint      NOT NULL CHECK (amount_minor > 0),
    currency     char(3)     NOT NULL,
    reason       text        NOT NULL CHECK (reason IN ('paid_twice', 'amount_differs', 'model_changed')),
    noticed_at   timestamptz NOT NULL,
    refunded_at  timestamptz,
    refunded_by  text        CHECK (length(refunded_by) <= 254),
    PRIMARY KEY (tenant_id, payment_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES sms_order (tenant_id, id),
    CHECK ((refunded_at IS NULL) = (refunded_by IS NULL))
);

-- The console lists what is still to refund, oldest first.
CREATE INDEX sms_order_refund_open_ix ON sms_order_refund (noticed_at) WHERE refunded_at IS NULL;

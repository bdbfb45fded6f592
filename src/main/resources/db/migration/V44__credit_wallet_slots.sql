-- A company's prepaid credit in a few slots besides its wallet row (issue 9): one company's single
-- sends at hundreds a second would otherwise queue on the wallet row's lock, each holding it until
-- its transaction commits. A reservation that fits one slot takes a slot nobody holds (SKIP LOCKED);
-- any other (a bulk, a short slot, the last credit) locks the wallet and every slot, in that order,
-- gathers the credit back and decides exactly. The slots only ever hold credit above the company's
-- low-credit threshold, so every crossing (low, used up) happens under the wallet's lock.
-- The company's balance is the wallet's plus its slots'.
CREATE TABLE credit_wallet_slot (
    tenant_id  uuid        NOT NULL REFERENCES credit_wallet (tenant_id),
    slot       smallint    NOT NULL CHECK (slot BETWEEN 1 AND 64),
    balance    bigint      NOT NULL CHECK (balance >= 0),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, slot)
);

-- The monthly-blocks subscription bought through the checkout (issue 10, H1/B2): an order is either a
-- pack (prepaid credit) or the subscription's first block (the invoice for the coming month).
ALTER TABLE sms_order ADD COLUMN kind text NOT NULL DEFAULT 'pack'
    CHECK (kind IN ('pack', 'first_block'));
ALTER TABLE sms_order ADD CONSTRAINT sms_order_pack_has_its_pack
    CHECK (kind <> 'pack' OR pack_id IS NOT NULL);

-- At most one first block awaiting payment per company: two tabs, or the web and the API at once,
-- cannot both take the buyer's money for the same subscription.
CREATE UNIQUE INDEX sms_order_one_first_block_waiting_uq ON sms_order (tenant_id)
    WHERE kind = 'first_block' AND status = 'awaiting_payment';

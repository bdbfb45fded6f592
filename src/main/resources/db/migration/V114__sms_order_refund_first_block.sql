-- A first block's order paid late (expired, or cancelled while its transfer was on the way) after
-- the company's first month was paid by another order: kept for a refund, never a second month.
ALTER TABLE sms_order_refund DROP CONSTRAINT sms_order_refund_reason_check;
ALTER TABLE sms_order_refund ADD CONSTRAINT sms_order_refund_reason_check
    CHECK (reason IN ('paid_twice', 'amount_differs', 'model_changed', 'first_block_paid'));

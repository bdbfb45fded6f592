-- Drafts of SMS orders that were never placed are forgotten after a while (Orders.DRAFT_KEPT):
-- the order expiry task finds them by age.
CREATE INDEX sms_order_draft_ix ON sms_order (created_at) WHERE status = 'draft';

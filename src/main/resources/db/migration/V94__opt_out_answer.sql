-- The one confirmation a STOP gets ("you will get no more SMS from us"): free like the other
-- keyword answers, and the only message that goes to a number on the suppression list (C5).
ALTER TABLE outbound_message DROP CONSTRAINT IF EXISTS outbound_message_kind_check;
ALTER TABLE outbound_message ADD CONSTRAINT outbound_message_kind_check
    CHECK (kind IN ('direct', 'reply', 'document', 'reminder', 'alert', 'account', 'bulk',
                    'keyword_answer', 'opt_out_answer'));

-- A deleted contact's messages keep their history with the recipient masked (ARCHITECTURE:
-- "Deleting a contact"); a masked recipient is no longer a number or an address.
ALTER TABLE outbound_message ADD COLUMN recipient_masked boolean NOT NULL DEFAULT false;
ALTER TABLE outbound_message DROP CONSTRAINT sms_recipient_is_e164;
ALTER TABLE outbound_message DROP CONSTRAINT email_recipient_has_at;
ALTER TABLE outbound_message ADD CONSTRAINT sms_recipient_is_e164
    CHECK (channel <> 'sms' OR recipient_masked OR recipient ~ '^\+[1-9][0-9]{6,14}$');
ALTER TABLE outbound_message ADD CONSTRAINT email_recipient_has_at
    CHECK (channel <> 'email' OR recipient_masked OR position('@' IN recipient) > 1);
ALTER TABLE outbound_message ADD CONSTRAINT masked_rows_are_done
    CHECK (NOT recipient_masked OR status NOT IN ('queued', 'sending'));

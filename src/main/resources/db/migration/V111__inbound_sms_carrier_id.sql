-- The carrier's own id of an inbound SMS, where it gives one (an HTTP provider's webhook): a
-- webhook sent again (the provider did not see the answer) is then stored once (issue 12 review).
ALTER TABLE inbound_sms ADD COLUMN carrier_id text CHECK (length(carrier_id) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX inbound_sms_carrier_id_ux ON inbound_sms (gateway, carrier_id)
    WHERE carrier_id IS NOT NULL;

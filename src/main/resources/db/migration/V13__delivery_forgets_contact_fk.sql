-- The module map lets delivery depend on tenant, billing and smstext, not on contact (decision
-- 0005): V5's foreign key from outbound_message to contact goes. contact_id stays, as the id of the
-- contact a message was for: a contact is never deleted (it is anonymised), and the queue must not
-- need contact's table to accept a row.
ALTER TABLE outbound_message DROP CONSTRAINT IF EXISTS outbound_message_tenant_id_contact_id_fkey;

-- SMS billing wired into dispatch (issue 9): credit is reserved when an SMS is queued, captured
-- when a gateway takes it, released when no carrier did.

-- A company's choice (on by default): an SMS that finds no credit goes by e-mail instead where the
-- contact has an address. Kept with the billing account, read by the reservation that finds the
-- credit short.
ALTER TABLE billing_account ADD COLUMN email_fallback boolean NOT NULL DEFAULT true;

-- The e-mail sent instead of an SMS that had no credit (on the SMS's row), for the message pages.
ALTER TABLE outbound_message ADD COLUMN fallback_id uuid;


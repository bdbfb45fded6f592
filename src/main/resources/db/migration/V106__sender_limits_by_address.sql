-- Per-sender rate limits by the address an SMS actually goes from (issue 12, senders): the buckets
-- of sender_rate_limit are now keyed by the routed gateway and the source address (a number or a
-- name), taken after routing. A message its sender's bucket cannot cover now is put back and due
-- at its turn; scheduled_until is when the last message put back for that sender is due, so the
-- next ones queue after it instead of being claimed over and over.
ALTER TABLE sender_rate_limit ADD COLUMN scheduled_until timestamptz;

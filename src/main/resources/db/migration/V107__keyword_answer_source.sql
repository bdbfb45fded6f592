-- The answer to a customer's keyword (STOP, START, HELP) goes from the very number the customer
-- wrote to, by the gateway that number's message came in through (issue 12, left-overs): both are
-- kept with the answer. NULL for every other message (its source is chosen by the sender rules).
ALTER TABLE outbound_message
    ADD COLUMN reply_from    text CHECK (reply_from IS NULL OR length(reply_from) BETWEEN 1 AND 32),
    ADD COLUMN reply_gateway text CHECK (reply_gateway IS NULL OR length(reply_gateway) BETWEEN 1 AND 64);

-- Files sent with an e-mail (a document's PDF), stored with the message they belong to and read
-- by the dispatcher when it sends that e-mail.
CREATE TABLE outbound_attachment (
    tenant_id    uuid    NOT NULL,
    message_id   uuid    NOT NULL,
    position     integer NOT NULL CHECK (position >= 0),
    filename     text    NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type text    NOT NULL,
    content      bytea   NOT NULL CHECK (length(content) <= 10485760),
    PRIMARY KEY (tenant_id, message_id, position),
    FOREIGN KEY (tenant_id, message_id) REFERENCES outbound_message (tenant_id, id) ON DELETE CASCADE
);

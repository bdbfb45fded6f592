-- "Forgot password": a single-use link that expires. Only the SHA-256 of its token is stored, so
-- the table cannot be used to reset a password.
CREATE TABLE password_reset (
    token_hash bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_reset_user_ix ON password_reset (user_id);

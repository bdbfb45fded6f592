-- The one-time token of the form that created an API key: the same form posted again (a reload of
-- the page that showed the key) finds its key instead of creating a second one.
ALTER TABLE api_key ADD COLUMN form_token uuid;
CREATE UNIQUE INDEX api_key_form_token_uq ON api_key (tenant_id, form_token) WHERE form_token IS NOT NULL;

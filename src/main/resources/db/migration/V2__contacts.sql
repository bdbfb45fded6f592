-- Contacts of a company, with their e-mail addresses and phone numbers (E.164).
CREATE TABLE contact (
    tenant_id         uuid        NOT NULL REFERENCES company (id),
    id                uuid        NOT NULL,
    name              text        NOT NULL,
    language          text        NOT NULL CHECK (language IN ('en', 'fr', 'da')),
    time_zone         text,
    email_enabled     boolean     NOT NULL DEFAULT true,
    sms_enabled       boolean     NOT NULL DEFAULT false,
    reminders_enabled boolean     NOT NULL DEFAULT true,
    anonymised_at     timestamptz,
    version           integer     NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX contact_name_ix ON contact (tenant_id, lower(name)) WHERE anonymised_at IS NULL;

CREATE TABLE contact_email (
    tenant_id  uuid    NOT NULL,
    contact_id uuid    NOT NULL,
    position   integer NOT NULL CHECK (position >= 0),
    address    text    NOT NULL CHECK (position('@' IN address) > 1),
    PRIMARY KEY (tenant_id, contact_id, position),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE contact_phone (
    tenant_id  uuid    NOT NULL,
    contact_id uuid    NOT NULL,
    position   integer NOT NULL CHECK (position >= 0),
    type       text    NOT NULL CHECK (type IN ('MOBILE', 'HOME', 'WORK', 'OTHER')),
    number     text    NOT NULL CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
    PRIMARY KEY (tenant_id, contact_id, position),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_phone_number_ix ON contact_phone (tenant_id, number);

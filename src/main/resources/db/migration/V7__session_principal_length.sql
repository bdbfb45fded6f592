-- A user's e-mail may be up to 254 characters (SMTP's limit); Spring Session keeps it as the
-- principal name, which the stock schema caps at 100.
ALTER TABLE spring_session ALTER COLUMN principal_name TYPE varchar(320);

-- SMS text settings of a company (F3, F4): smart encoding of look-alike punctuation, and the most
-- segments one message may use; longer texts are refused before sending.
ALTER TABLE company
    ADD COLUMN sms_smart_encoding boolean NOT NULL DEFAULT false,
    ADD COLUMN sms_segment_cap    integer NOT NULL DEFAULT 10
        CONSTRAINT company_sms_segment_cap_range CHECK (sms_segment_cap BETWEEN 1 AND 20);

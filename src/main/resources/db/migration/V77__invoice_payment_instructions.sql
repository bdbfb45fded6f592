-- An invoice to be paid by bank transfer (issue 10) carries the payee's bank details and the ISO
-- 11649 creditor reference, printed on it; copied in like the rest, so it never changes.
ALTER TABLE billing_invoice
    ADD COLUMN pay_account_holder text,
    ADD COLUMN pay_iban           text,
    ADD COLUMN pay_bic            text,
    ADD COLUMN pay_reference      text,
    ADD COLUMN pay_by             date;

-- A block the operator set on purpose (B2): a purchase unlocks SMS, never over this.
ALTER TABLE company ADD COLUMN sms_blocked_by_operator boolean NOT NULL DEFAULT false;

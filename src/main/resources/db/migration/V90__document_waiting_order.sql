-- The reminder run (issue 11) walks the waiting documents in (company, document) order from where
-- its last batch ended, and stops once it has a batch: this index is that walk.
CREATE INDEX document_waiting_order_ix ON document (tenant_id, id) WHERE status IN ('sent', 'viewed');

/** Billing's REST API: where a company stands with SMS, and its invoices with their PDFs. */
package dev.herald.billing.rest;

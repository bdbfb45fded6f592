/** Billing's web UI: the Billing settings page, invoice pages and PDFs, credit alerts. */
package dev.herald.billing.web;

/** Billing's wiring: the db-scheduler task of the monthly billing run. */
package dev.herald.billing.internal;

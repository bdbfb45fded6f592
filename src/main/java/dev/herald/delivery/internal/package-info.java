/**
 * The dispatch machinery: workers, claims and leases, wake-ups, rate limits, retries, gateway
 * choice.
 */
package dev.herald.delivery.internal;

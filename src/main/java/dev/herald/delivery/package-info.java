/**
 * Outbound queue, dispatch workers, throttling, retries, statuses, receipts, inbound SMS, gateways.
 */
@ApplicationModule(
    displayName = "Delivery",
    allowedDependencies = {"shared", "tenant", "billing", "smstext"})
package dev.herald.delivery;

import org.springframework.modulith.ApplicationModule;

/** Payment providers, webhook inbox and payment state machine; orders are opaque references. */
@ApplicationModule(
    displayName = "Payment",
    allowedDependencies = {"shared", "tenant"})
package dev.herald.payment;

import org.springframework.modulith.ApplicationModule;

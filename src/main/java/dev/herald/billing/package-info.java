/** SMS plans (blocks, packs), credit wallet and ledger, usage meter, orders and invoices. */
@ApplicationModule(
    displayName = "Billing",
    allowedDependencies = {"shared", "tenant", "payment"})
package dev.herald.billing;

import org.springframework.modulith.ApplicationModule;

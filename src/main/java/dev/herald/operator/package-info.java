/** Operator console. */
@ApplicationModule(
    displayName = "Operator",
    allowedDependencies = {"shared", "tenant", "billing", "payment", "delivery"})
package dev.herald.operator;

import org.springframework.modulith.ApplicationModule;

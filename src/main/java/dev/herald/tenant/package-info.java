/**
 * Companies, plans, users and roles, company settings, operator users, API keys and the current
 * tenant.
 */
@ApplicationModule(
    displayName = "Tenant",
    allowedDependencies = {"shared"})
package dev.herald.tenant;

import org.springframework.modulith.ApplicationModule;

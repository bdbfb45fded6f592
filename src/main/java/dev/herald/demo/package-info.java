/** The embedded default's demo company, its users, API key and contacts, created once. */
@ApplicationModule(
    displayName = "Demo",
    allowedDependencies = {"shared", "tenant", "contact", "billing"})
package dev.herald.demo;

import org.springframework.modulith.ApplicationModule;

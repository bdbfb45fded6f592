/**
 * The embedded default's demo company, its users, API key, contacts and documents, created once.
 */
@ApplicationModule(
    displayName = "Demo",
    allowedDependencies = {"shared", "tenant", "contact", "billing", "work"})
package dev.herald.demo;

import org.springframework.modulith.ApplicationModule;

/** Layout, navigation, login pages, error pages and the embedded default; no domain logic. */
@ApplicationModule(
    displayName = "Web",
    allowedDependencies = {"shared", "tenant"})
package dev.herald.web;

import org.springframework.modulith.ApplicationModule;

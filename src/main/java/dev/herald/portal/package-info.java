/** Customer portal behind per-contact tokens. */
@ApplicationModule(
    displayName = "Portal",
    allowedDependencies = {"shared", "tenant", "work", "conversation", "contact", "payment"})
package dev.herald.portal;

import org.springframework.modulith.ApplicationModule;

/** Who gets what on which channel: preferences, consent, quiet hours, templates, consolidation. */
@ApplicationModule(
    displayName = "Notification",
    allowedDependencies = {"shared", "tenant", "contact", "delivery", "smstext", "billing"})
package dev.herald.notification;

import org.springframework.modulith.ApplicationModule;

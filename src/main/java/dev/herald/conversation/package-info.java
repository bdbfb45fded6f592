/** Client message threads and inbound replies. */
@ApplicationModule(
    displayName = "Conversation",
    allowedDependencies = {"shared", "tenant", "contact", "notification", "delivery"})
package dev.herald.conversation;

import org.springframework.modulith.ApplicationModule;

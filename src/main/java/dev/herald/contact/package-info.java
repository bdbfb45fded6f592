/** Contacts, phone numbers, emails, notification preferences and the consent log. */
@ApplicationModule(
    displayName = "Contact",
    allowedDependencies = {"shared", "tenant"})
package dev.herald.contact;

import org.springframework.modulith.ApplicationModule;

/** Business objects that trigger messages: documents, routes, appointments and their reminders. */
@ApplicationModule(
    displayName = "Work",
    allowedDependencies = {"shared", "tenant", "contact", "notification"})
package dev.herald.work;

import org.springframework.modulith.ApplicationModule;

/** Value types shared by every module (TenantId, Money, PhoneNumber, Language, ...); no beans. */
@ApplicationModule(
    displayName = "Shared",
    allowedDependencies = {})
package dev.herald.shared;

import org.springframework.modulith.ApplicationModule;

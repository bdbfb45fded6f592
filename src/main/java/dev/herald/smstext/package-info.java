/** GSM 03.38 / UCS-2 encoding, segment counting and smart encoding: pure code. */
@ApplicationModule(
    displayName = "SMS text",
    allowedDependencies = {"shared"})
package dev.herald.smstext;

import org.springframework.modulith.ApplicationModule;

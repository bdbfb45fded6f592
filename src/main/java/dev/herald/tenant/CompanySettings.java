package dev.herald.tenant;

/**
 * Company settings as typed into the settings form or sent by the operator (A3), not yet checked.
 */
public record CompanySettings(
    String name, String country, String timeZone, String language, String smsSenderName) {}

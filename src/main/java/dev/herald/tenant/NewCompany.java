package dev.herald.tenant;

import dev.herald.shared.Language;
import java.time.ZoneId;

/** What it takes to create a company. */
public record NewCompany(
    String name,
    Plan plan,
    String country,
    ZoneId timeZone,
    Language language,
    String smsSenderName) {}

package dev.herald.contact;

import dev.herald.shared.Language;
import java.util.List;

/** A contact to be created, already validated and with numbers in E.164. */
public record NewContact(
    String name,
    Language language,
    List<String> emails,
    List<ContactPhone> phones,
    boolean emailEnabled,
    boolean smsEnabled,
    boolean remindersEnabled) {}

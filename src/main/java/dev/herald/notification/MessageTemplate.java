package dev.herald.notification;

import dev.herald.shared.Language;

/**
 * The texts of one communication kind in one language (F1), with merge fields still in them; custom
 * is true when the company changed Herald's default.
 */
public record MessageTemplate(
    CommunicationKind kind,
    Language language,
    String smsText,
    String emailSubject,
    String emailBody,
    boolean custom) {}

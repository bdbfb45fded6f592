package dev.herald.billing;

/** What the app shows a company on packs about its credit: low (banner) or used up (popup). */
public record CreditAlert(boolean usedUp, long balance, int threshold) {}

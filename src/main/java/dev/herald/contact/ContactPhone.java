package dev.herald.contact;

/** A phone number of a contact, in E.164. */
public record ContactPhone(PhoneType type, String number) {}

package dev.herald.contact;

/** The kind of a phone number; SMS goes only to MOBILE numbers (C2). */
public enum PhoneType {
  MOBILE,
  HOME,
  WORK,
  OTHER
}

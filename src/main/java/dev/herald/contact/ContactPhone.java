package dev.herald.contact;

/** A phone number of a contact, in E.164, and whether it opted out of SMS (C5). */
public record ContactPhone(PhoneType type, String number, boolean optedOut) {

  /**
   * SMS may go to this number (C2, C5): typed Mobile (checked as mobile when saved) and not opted
   * out.
   */
  public boolean textable() {
    return type == PhoneType.MOBILE && !optedOut;
  }
}

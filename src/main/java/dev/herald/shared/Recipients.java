package dev.herald.shared;

/** How a phone number or e-mail address is shown in lists and logs: never whole (K4). */
public final class Recipients {

  private Recipients() {}

  /** {@code +45••••••56} for a number, {@code a•••@example.dk} for an address. */
  public static String mask(String recipient) {
    if (recipient == null) {
      return "•••";
    }
    int at = recipient.indexOf('@');
    if (at >= 0) {
      return at < 1 ? "•••" : recipient.charAt(0) + "•••" + recipient.substring(at);
    }
    return PhoneNumber.mask(recipient);
  }
}

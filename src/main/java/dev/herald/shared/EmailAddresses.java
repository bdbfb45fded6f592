package dev.herald.shared;

import java.util.regex.Pattern;

/** A pragmatic e-mail check: one @, no spaces, a dotted domain, within SMTP's 254 characters. */
public final class EmailAddresses {

  private static final Pattern EMAIL =
      Pattern.compile(
          "[^@\\s\"<>(),;:\\\\\\[\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

  private EmailAddresses() {}

  public static boolean isValid(String address) {
    return address != null
        && address.length() <= 254
        && Text.problem(address, false).isEmpty()
        && EMAIL.matcher(address).matches();
  }
}

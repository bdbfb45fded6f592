package dev.herald.shared;

import java.util.Objects;
import java.util.regex.Pattern;

/** A phone number in E.164 ({@code +4520123456}); {@link #masked()} is what logs and lists show. */
public record PhoneNumber(String e164) {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  public PhoneNumber {
    Objects.requireNonNull(e164, "number");
    if (!E164.matcher(e164).matches()) {
      throw new IllegalArgumentException("Not an E.164 number");
    }
  }

  /** Country code and the last two digits only, e.g. {@code +45•••••••56}. */
  public String masked() {
    return mask(e164);
  }

  public static String mask(String e164) {
    if (e164 == null || e164.length() < 6) {
      return "•••";
    }
    return e164.substring(0, 3) + "•".repeat(e164.length() - 5) + e164.substring(e164.length() - 2);
  }

  @Override
  public String toString() {
    return masked();
  }
}

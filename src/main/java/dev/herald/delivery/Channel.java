package dev.herald.delivery;

import java.util.Locale;

/** How a message travels: SMS through an SMS gateway, or e-mail through SMTP (or the mail sink). */
public enum Channel {
  SMS,
  EMAIL;

  /** The database and API form: the lower-case name. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Channel fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}

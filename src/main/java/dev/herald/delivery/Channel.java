package dev.herald.delivery;

import java.util.Locale;
import java.util.Optional;

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

  /** The channel a person or an integrator named ({@code sms}, {@code EMAIL}), if it is one. */
  public static Optional<Channel> parse(String name) {
    for (Channel channel : values()) {
      if (channel.name().equalsIgnoreCase(String.valueOf(name).strip())) {
        return Optional.of(channel);
      }
    }
    return Optional.empty();
  }
}

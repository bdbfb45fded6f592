package dev.herald.delivery.gateway;

import java.math.BigInteger;
import java.util.Locale;

/**
 * The one canonical form of a carrier's message id, in which Herald stores the ids of accepted
 * submits and matches receipts: carriers write the same id in different cases, with or without
 * leading zeros, and some in hex in one place and decimal in another. A gateway canonicalizes both
 * the id of its submit answer and the id of its receipts with the format its carrier uses there.
 */
public final class GatewayMessageIds {

  private GatewayMessageIds() {}

  /** How a carrier writes an id in one place. */
  public enum Format {
    /** Opaque text: compared without case and without leading zeros. */
    TEXT,
    /** A hexadecimal number. */
    HEX,
    /** A decimal number. */
    DECIMAL;

    /** {@code text}, {@code hex} or {@code decimal} (any case); null or blank is {@code text}. */
    public static Format of(String name) {
      if (name == null || name.isBlank()) {
        return TEXT;
      }
      return switch (name.strip().toLowerCase(Locale.ROOT)) {
        case "text" -> TEXT;
        case "hex" -> HEX;
        case "decimal", "dec" -> DECIMAL;
        default ->
            throw new IllegalArgumentException(
                "a message id format is text, hex or decimal, not " + name);
      };
    }
  }

  /**
   * The canonical form: a number (hex or decimal) as its decimal digits; text trimmed, in lower
   * case, without leading zeros. An id that does not parse in its declared format is kept as text,
   * so a carrier that mixes formats still matches where it is consistent. Null or blank: null.
   */
  public static String canonical(String raw, Format format) {
    if (raw == null) {
      return null;
    }
    String id = raw.strip();
    if (id.isEmpty()) {
      return null;
    }
    if (format == Format.HEX || format == Format.DECIMAL) {
      try {
        return new BigInteger(id, format == Format.HEX ? 16 : 10).toString();
      } catch (NumberFormatException notANumber) {
        // kept as text below
      }
    }
    String lower = id.toLowerCase(Locale.ROOT);
    int first = 0;
    while (first < lower.length() - 1 && lower.charAt(first) == '0') {
      first++;
    }
    return lower.substring(first);
  }
}

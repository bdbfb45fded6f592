package dev.herald.delivery.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.gateway.SourceAddress;
import java.util.List;
import java.util.Set;

/**
 * Which source address an SMS goes from (issue 12, senders): the company's alphanumeric name where
 * the destination country allows one, else (and for messages the customer may answer) one of the
 * company's numbers, the one of the destination country first; a short code only in its own
 * country. With no number that fits, the name (the carrier may then rewrite it).
 */
final class SenderRules {

  /** Countries whose carriers refuse alphanumeric senders. */
  static final Set<String> NUMBERS_ONLY = Set.of("US", "CA");

  /** A number the company sends from, with the country it belongs to. */
  record Number(String number, String country) {}

  private SenderRules() {}

  static SourceAddress choose(
      String name, OutboundKind kind, String recipient, List<Number> numbers) {
    if (numbers.isEmpty()) {
      // no number to choose from: the name, whatever the country (and no number parsed per SMS)
      return SourceAddress.of(name);
    }
    String country = countryOf(recipient);
    boolean needsNumber = kind.expectsReply() || NUMBERS_ONLY.contains(country);
    if (needsNumber) {
      Number best = null;
      for (Number n : numbers) {
        boolean shortCode = !n.number().startsWith("+");
        if (n.country().equals(country)) {
          if (best == null
              || !best.country().equals(country)
              || best.number().startsWith("+") && shortCode) {
            // the destination's own numbers first, and there a short code before a long number
            best = n;
          }
        } else if (!shortCode && best == null) {
          best = n;
        }
      }
      if (best != null) {
        return SourceAddress.of(best.number());
      }
    }
    return SourceAddress.of(name);
  }

  /** The ISO country of an E.164 number, or "" when it has none. */
  static String countryOf(String e164) {
    try {
      String region =
          PhoneNumberUtil.getInstance()
              .getRegionCodeForNumber(PhoneNumberUtil.getInstance().parse(e164, null));
      return region == null || region.equals("ZZ") ? "" : region;
    } catch (NumberParseException e) {
      return "";
    }
  }
}

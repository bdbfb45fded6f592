package dev.herald.delivery.smpp;

import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;

/** Source and destination addresses with the TON/NPI an SMSC expects for each kind of address. */
record SmppAddresses(String address, TypeOfNumber ton, NumberingPlanIndicator npi) {

  /**
   * A sender: an international number ({@code +4520...}) is TON 1 / NPI 1 without its plus; a short
   * code (up to 8 digits) is network-specific (TON 3 / NPI 0); other digits go as they are (TON 0 /
   * NPI 1); anything else is an alphanumeric sender (TON 5 / NPI 0).
   */
  static SmppAddresses source(dev.herald.delivery.gateway.SourceAddress source) {
    return new SmppAddresses(
        source.digitsOrName(),
        TypeOfNumber.valueOf((byte) source.type().ton()),
        NumberingPlanIndicator.valueOf((byte) source.type().npi()));
  }

  /** As {@link #source(dev.herald.delivery.gateway.SourceAddress)} for a sender string. */
  static SmppAddresses source(String sender) {
    String s = sender.strip();
    if (s.matches("\\+[1-9][0-9]{6,14}")) {
      return new SmppAddresses(
          s.substring(1), TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN);
    }
    if (s.matches("[0-9]{3,8}")) {
      return new SmppAddresses(s, TypeOfNumber.NETWORK_SPECIFIC, NumberingPlanIndicator.UNKNOWN);
    }
    if (s.matches("[0-9]{9,15}")) {
      return new SmppAddresses(s, TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN);
    }
    return new SmppAddresses(s, TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN);
  }

  /** A recipient in E.164: TON 1 / NPI 1, without the plus. */
  static SmppAddresses destination(String e164) {
    String digits = e164.startsWith("+") ? e164.substring(1) : e164;
    return new SmppAddresses(digits, TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN);
  }

  /**
   * An address an SMSC sent us, as Herald writes numbers: an international one (TON 1, or digits
   * that already start with a country code when TON is unknown and the number is long) gets its
   * plus; anything else (a short code, an alphanumeric sender) stays as it came.
   */
  static String toHerald(String address, byte ton) {
    if (address == null) {
      return "";
    }
    String a = address.strip();
    if (a.startsWith("+")) {
      return a;
    }
    if (ton == TypeOfNumber.INTERNATIONAL.value() && a.matches("[1-9][0-9]{6,14}")) {
      return "+" + a;
    }
    if (ton == TypeOfNumber.UNKNOWN.value() && a.matches("00[1-9][0-9]{6,14}")) {
      return "+" + a.substring(2);
    }
    return a;
  }
}

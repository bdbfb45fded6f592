package dev.herald.delivery.smpp;

import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;

/** Source and destination addresses with the TON/NPI an SMSC expects for each kind of address. */
record SmppAddresses(String address, TypeOfNumber ton, NumberingPlanIndicator npi) {

  /**
   * A sender with the TON/NPI of its kind (see {@link dev.herald.delivery.gateway.SourceAddress}).
   */
  static SmppAddresses source(dev.herald.delivery.gateway.SourceAddress source) {
    return new SmppAddresses(
        source.digitsOrName(),
        TypeOfNumber.valueOf((byte) source.type().ton()),
        NumberingPlanIndicator.valueOf((byte) source.type().npi()));
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

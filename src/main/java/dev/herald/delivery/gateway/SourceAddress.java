package dev.herald.delivery.gateway;

/**
 * The source address of an SMS with its kind, which says the TON/NPI a carrier expects (SMPP 3.4,
 * 5.2.5 and 5.2.6): an alphanumeric name (TON 5, NPI 0), an international number (TON 1, NPI 1,
 * written without its plus), a short code (TON 3 network specific, NPI 0) or a national number (TON
 * 2, NPI 1).
 */
public record SourceAddress(String address, Type type) {

  /** The kinds of source address, each with its SMPP type of number and numbering plan. */
  public enum Type {
    ALPHANUMERIC(5, 0),
    INTERNATIONAL(1, 1),
    SHORT_CODE(3, 0),
    NATIONAL(2, 1);

    private final int ton;
    private final int npi;

    Type(int ton, int npi) {
      this.ton = ton;
      this.npi = npi;
    }

    public int ton() {
      return ton;
    }

    public int npi() {
      return npi;
    }
  }

  public SourceAddress {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("a source address is needed");
    }
    address = address.strip();
  }

  /**
   * The kind of address a sender string is: {@code +4520...} international, 3 to 8 digits a short
   * code, more digits a national number, anything else an alphanumeric name.
   */
  public static SourceAddress of(String sender) {
    String s = sender == null ? "" : sender.strip();
    // compiled once: this runs for every SMS a dispatcher hands over
    if (INTERNATIONAL_NUMBER.matcher(s).matches()) {
      return new SourceAddress(s, Type.INTERNATIONAL);
    }
    if (SHORT_CODE_NUMBER.matcher(s).matches()) {
      return new SourceAddress(s, Type.SHORT_CODE);
    }
    if (NATIONAL_NUMBER.matcher(s).matches()) {
      return new SourceAddress(s, Type.NATIONAL);
    }
    return new SourceAddress(s, Type.ALPHANUMERIC);
  }

  private static final java.util.regex.Pattern INTERNATIONAL_NUMBER =
      java.util.regex.Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final java.util.regex.Pattern SHORT_CODE_NUMBER =
      java.util.regex.Pattern.compile("[0-9]{3,8}");
  private static final java.util.regex.Pattern NATIONAL_NUMBER =
      java.util.regex.Pattern.compile("[0-9]{9,15}");

  /** The address as a carrier writes it: an international number without its plus. */
  public String digitsOrName() {
    return type == Type.INTERNATIONAL ? address.substring(1) : address;
  }
}

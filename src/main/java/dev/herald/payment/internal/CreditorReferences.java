package dev.herald.payment.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * ISO 11649 creditor references: "RF", two check digits, and a body of up to 21 letters and digits;
 * valid when the body + "RF" + check digits, letters as numbers (A = 10 ... Z = 35), is 1 modulo
 * 97. Printed in groups of four ("RF18 5390 0754 7034") so a person can type it.
 */
public final class CreditorReferences {

  private static final SecureRandom random = new SecureRandom();
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  private CreditorReferences() {}

  /** A new reference with a random body of 12 digits. */
  public static String generate() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      body.append(random.nextInt(10));
    }
    return of(body.toString());
  }

  /** The reference for a body: RF + its check digits + the body. */
  public static String of(String body) {
    String b = body.toUpperCase(Locale.ROOT);
    if (!b.matches("[0-9A-Z]{1,21}")) {
      throw new IllegalArgumentException(
          "A creditor reference's body is 1 to 21 letters or digits");
    }
    int check = 98 - numeric(b + "RF00").mod(NINETY_SEVEN).intValue();
    return "RF" + (check < 10 ? "0" : "") + check + b;
  }

  /** The reference as a machine keeps it: no spaces, upper case. */
  public static String normalise(String typed) {
    return typed == null ? "" : typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
  }

  /** The normalised reference when it is a well-formed RF reference with right check digits. */
  public static Optional<String> valid(String typed) {
    String ref = normalise(typed);
    if (!ref.matches("RF[0-9]{2}[0-9A-Z]{1,21}")) {
      return Optional.empty();
    }
    String rearranged = ref.substring(4) + ref.substring(0, 4);
    return numeric(rearranged).mod(NINETY_SEVEN).intValue() == 1
        ? Optional.of(ref)
        : Optional.empty();
  }

  /** In groups of four, as printed on an invoice. */
  public static String printed(String reference) {
    String ref = normalise(reference);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ref.length(); i += 4) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(ref, i, Math.min(ref.length(), i + 4));
    }
    return out.toString();
  }

  private static BigInteger numeric(String s) {
    StringBuilder digits = new StringBuilder();
    for (char c : s.toCharArray()) {
      digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(digits.toString());
  }
}

package dev.herald.billing;

import dev.herald.shared.InvalidInputException;
import java.util.Currency;

/** Packs for order tests, added once to the shared database. */
public final class OrderFixtures {

  private OrderFixtures() {}

  /** An SMS count no other test's pack has. */
  public static final int SMS = 1237;

  /** 1,237 SMS for 400.00 kr. */
  public static synchronized Pricing.Pack dkkPack(Pricing pricing) {
    return pack(pricing, "DKK", SMS, "400.00");
  }

  /** 1,237 SMS for 55.00 EUR. */
  public static synchronized Pricing.Pack eurPack(Pricing pricing) {
    return pack(pricing, "EUR", SMS, "55.00");
  }

  private static Pricing.Pack pack(Pricing pricing, String currency, int sms, String price) {
    try {
      pricing.addPack(currency, String.valueOf(sms), price);
    } catch (InvalidInputException exists) {
      // added by an earlier test
    }
    return pricing.packs(Currency.getInstance(currency)).stream()
        .filter(p -> p.sms() == sms)
        .findFirst()
        .orElseThrow();
  }
}

package dev.herald.shared;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/** An amount in the minor units of its currency (cents, øre); never a floating-point number. */
public record Money(long minorUnits, Currency currency) {

  public Money {
    Objects.requireNonNull(currency, "currency");
  }

  public static Money of(long minorUnits, String currencyCode) {
    return new Money(minorUnits, Currency.getInstance(currencyCode));
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
  }

  public Money times(long factor) {
    return new Money(Math.multiplyExact(minorUnits, factor), currency);
  }

  public BigDecimal toDecimal() {
    return BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits());
  }

  private void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("Cannot combine " + currency + " with " + other.currency);
    }
  }

  @Override
  public String toString() {
    return toDecimal().toPlainString() + " " + currency.getCurrencyCode();
  }
}

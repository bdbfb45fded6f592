package dev.herald.payment;

/**
 * A payment provider did not answer in time, or failed: nothing was charged and the same checkout
 * may be asked for again.
 */
public class PaymentProviderUnavailable extends RuntimeException {

  public PaymentProviderUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}

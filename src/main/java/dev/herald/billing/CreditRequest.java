package dev.herald.billing;

import java.util.Objects;
import java.util.UUID;

/** One thing to reserve credit for: an opaque reference (a message) and its billed segments. */
public record CreditRequest(UUID reference, int units) {

  public CreditRequest {
    Objects.requireNonNull(reference, "reference");
    if (units < 0) {
      throw new IllegalArgumentException("units must not be negative");
    }
  }
}

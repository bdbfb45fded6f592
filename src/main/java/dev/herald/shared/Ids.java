package dev.herald.shared;

import com.github.f4b6a3.uuid.UuidCreator;
import java.util.UUID;

/** Time-ordered UUIDv7 ids, generated in Java so that indexes stay compact. */
public final class Ids {

  private Ids() {}

  public static UUID next() {
    return UuidCreator.getTimeOrderedEpoch();
  }
}

package dev.herald.delivery.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delay before the next attempt after a transient failure: base doubled per attempt made, capped,
 * with "equal jitter" (a random point in the upper half), so nodes that failed together do not
 * retry together, and the delay still grows.
 */
final class Backoff {

  private Backoff() {}

  /** The delay without jitter after attempt number {@code attempt} (1 for the first). */
  static Duration ceiling(int attempt, Duration base, Duration max) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 40);
    long millis = base.toMillis();
    long ceiling =
        doublings >= 62 || millis > (Long.MAX_VALUE >> doublings)
            ? Long.MAX_VALUE
            : millis << doublings;
    return Duration.ofMillis(Math.min(ceiling, max.toMillis()));
  }

  /** A delay in [ceiling / 2, ceiling]. */
  static Duration delay(int attempt, Duration base, Duration max, RandomGenerator random) {
    long ceiling = ceiling(attempt, base, max).toMillis();
    long half = ceiling / 2;
    return Duration.ofMillis(
        half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
  }
}

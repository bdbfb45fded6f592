package dev.herald.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTests {

  static final Duration BASE = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(5);

  @Test
  void the_ceiling_doubles_per_attempt_up_to_the_maximum() {
    assertThat(Backoff.ceiling(1, BASE, MAX)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Backoff.ceiling(2, BASE, MAX)).isEqualTo(Duration.ofSeconds(20));
    assertThat(Backoff.ceiling(5, BASE, MAX)).isEqualTo(Duration.ofSeconds(160));
    assertThat(Backoff.ceiling(6, BASE, MAX)).isEqualTo(MAX);
    assertThat(Backoff.ceiling(1_000, BASE, MAX)).as("no overflow").isEqualTo(MAX);
  }

  @Test
  void the_delay_lies_in_the_upper_half_of_the_ceiling_and_spreads() {
    SplittableRandom random = new SplittableRandom(42);
    for (int a = 1; a <= 8; a++) {
      int attempt = a;
      Duration ceiling = Backoff.ceiling(attempt, BASE, MAX);
      long distinct =
          java.util.stream.IntStream.range(0, 200)
              .mapToObj(i -> Backoff.delay(attempt, BASE, MAX, random))
              .peek(d -> assertThat(d).isBetween(ceiling.dividedBy(2), ceiling))
              .distinct()
              .count();
      assertThat(distinct).as("jitter at attempt %d", attempt).isGreaterThan(50);
    }
  }
}

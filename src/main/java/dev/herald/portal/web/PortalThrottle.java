package dev.herald.portal.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Slows down guessing: after {@link #MAX_FAILURES} wrong tokens from one address within {@link
 * #WINDOW}, that address gets no answer about tokens until the window has passed. Kept in memory
 * per instance: guessing 128 random bits is hopeless anyway; this only keeps the noise down.
 */
@Component
class PortalThrottle {

  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(10);
  private static final int MAX_ADDRESSES = 100_000;

  private final Clock clock;
  private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  PortalThrottle(Clock clock) {
    this.clock = clock;
  }

  boolean blocked(String address) {
    Deque<Instant> times = failures.get(address);
    if (times == null) {
      return false;
    }
    synchronized (times) {
      prune(times);
      return times.size() >= MAX_FAILURES;
    }
  }

  void failed(String address) {
    if (failures.size() > MAX_ADDRESSES) {
      failures.clear(); // a flood of addresses: forget rather than grow without bound
    }
    Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
    synchronized (times) {
      prune(times);
      times.addLast(clock.instant());
    }
  }

  /** Forgets every address (tests share one instance). */
  void forgetAll() {
    failures.clear();
  }

  private void prune(Deque<Instant> times) {
    Instant since = clock.instant().minus(WINDOW);
    while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
      times.removeFirst();
    }
  }
}

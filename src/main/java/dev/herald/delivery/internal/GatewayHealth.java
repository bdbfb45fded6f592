package dev.herald.delivery.internal;

import dev.herald.delivery.gateway.SubmitResult;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * This node's view of its SMS gateways: a circuit breaker per gateway over its recent results
 * (resilience4j, count-based), what they did this minute, their last error. A submit is asked for
 * with {@link #tryAcquire} (false while the breaker is open, and beyond the probes while half-open)
 * and its answer told with {@link #record}. {@link #publish} writes the state to {@code
 * gateway_health} and the minute's counts to {@code gateway_traffic}, so the console sees every
 * node; Prometheus gets {@code herald_gateway_state} (0 closed, 1 half-open, 2 open) and {@code
 * herald_gateway_submits_total} per gateway and outcome.
 */
final class GatewayHealth {

  private static final Logger log = LoggerFactory.getLogger(GatewayHealth.class);

  /** What the breaker counts as a failure: the gateway did not do its job. */
  static boolean isFailure(SubmitResult result) {
    return switch (result) {
      case SubmitResult.Accepted a -> false;
      case SubmitResult.PermanentFailure f -> f.gatewayCannot();
      case SubmitResult.TransientFailure f -> true;
      case SubmitResult.Unknown u -> true;
    };
  }

  private final class Tracked {
    final String name;
    final CircuitBreaker breaker;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    volatile String lastError;
    volatile Instant lastErrorAt;

    /** herald.gateway.submits by outcome: looked up once, not per SMS (issue 12's benchmark). */
    final Map<String, Counter> submits = new ConcurrentHashMap<>();

    Tracked(String name) {
      this.name = name;
      this.breaker = CircuitBreaker.of(name, config);
      breaker
          .getEventPublisher()
          .onStateTransition(e ->
              log.info("Gateway {}: circuit breaker {}", name, e.getStateTransition().toString()));
      Gauge.builder("herald.gateway.state", breaker, b -> stateValue(b.getState()))
          .description("This node's circuit breaker of the gateway: 0 closed, 1 half-open, 2 open")
          .tag("gateway", name)
          .register(registry);
    }
  }

  private final CircuitBreakerConfig config;
  private final MeterRegistry registry;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final String node;
  private final Map<String, Tracked> gateways = new ConcurrentHashMap<>();

  GatewayHealth(
      RoutingSettings.Breaker breaker,
      Collection<String> names,
      MeterRegistry registry,
      JdbcClient jdbc,
      Clock clock,
      String node) {
    this.config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(breaker.window())
            .minimumNumberOfCalls(Math.min(breaker.minimumCalls(), breaker.window()))
            .failureRateThreshold(breaker.failureRate())
            .waitDurationInOpenState(breaker.openFor())
            .permittedNumberOfCallsInHalfOpenState(breaker.probes())
            // a probe whose answer never came (its claim rolled back) must not hold it half-open
            .maxWaitDurationInHalfOpenState(breaker.openFor().multipliedBy(2))
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .build();
    this.registry = registry;
    this.jdbc = jdbc;
    this.clock = clock;
    this.node = node;
    for (String name : names) {
      gateways.put(name, new Tracked(name));
    }
  }

  private Tracked tracked(String gateway) {
    return gateways.computeIfAbsent(gateway, Tracked::new);
  }

  /** Starts following a gateway (a console gateway that a node started), so the console sees it. */
  void track(String gateway) {
    tracked(gateway);
  }

  /** Whether a submit may go to this gateway now (takes a probe's place while half-open). */
  boolean tryAcquire(String gateway) {
    return tracked(gateway).breaker.tryAcquirePermission();
  }

  /** Gives back a permission taken for a submit that was not made. */
  void release(String gateway) {
    tracked(gateway).breaker.releasePermission();
  }

  /** Whether the breaker is open now (routing skips the gateway while it is). */
  boolean isOpen(String gateway) {
    return tracked(gateway).breaker.getState() == CircuitBreaker.State.OPEN;
  }

  CircuitBreaker.State state(String gateway) {
    return tracked(gateway).breaker.getState();
  }

  /** The answer of a submit made with a permission from {@link #tryAcquire}. */
  void record(String gateway, SubmitResult result, long nanos) {
    CircuitBreaker breaker = tracked(gateway).breaker;
    if (isFailure(result)) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, new GatewayFailure(describe(result)));
    } else {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
    count(gateway, result);
  }

  /** Counts the answer of a submit (also one made without the breaker's permission). */
  void count(String gateway, SubmitResult result) {
    Tracked t = tracked(gateway);
    if (isFailure(result)) {
      t.errors.incrementAndGet();
      t.lastError = abbreviate(describe(result));
      t.lastErrorAt = clock.instant();
    } else if (result instanceof SubmitResult.Accepted) {
      t.accepted.incrementAndGet();
    }
    t.submits
        .computeIfAbsent(
            outcome(result),
            outcome ->
                Counter.builder("herald.gateway.submits")
                    .description("Submits per gateway the routing chose, by outcome")
                    .tag("gateway", gateway)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }

  private static String outcome(SubmitResult result) {
    return switch (result) {
      case SubmitResult.Accepted a -> "accepted";
      case SubmitResult.PermanentFailure f -> f.gatewayCannot() ? "gateway_cannot" : "refused";
      case SubmitResult.TransientFailure f -> "transient_failure";
      case SubmitResult.Unknown u -> "unknown";
    };
  }

  private static String describe(SubmitResult result) {
    return switch (result) {
      case SubmitResult.Accepted a -> "accepted";
      case SubmitResult.PermanentFailure f -> f.code() + ": " + f.message();
      case SubmitResult.TransientFailure f -> f.code() + ": " + f.message();
      case SubmitResult.Unknown u -> u.code() + ": " + u.message();
    };
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 300 ? s : s.substring(0, 299) + "…";
  }

  static int stateValue(CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN, FORCED_OPEN -> 2;
      default -> 3;
    };
  }

  static String stateCode(CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED -> "closed";
      case HALF_OPEN -> "half_open";
      case OPEN, FORCED_OPEN -> "open";
      default -> "disabled";
    };
  }

  /** States of this node's breakers, by gateway name. */
  Map<String, CircuitBreaker.State> states() {
    Map<String, CircuitBreaker.State> states = new LinkedHashMap<>();
    gateways.forEach((name, t) -> states.put(name, t.breaker.getState()));
    return states;
  }

  /**
   * Writes this node's breaker states and the counts since the last call (into their minute), and
   * forgets traffic older than two hours. Counts that could not be written are added back.
   */
  void publish() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    for (Tracked t : gateways.values()) {
      int accepted = t.accepted.getAndSet(0);
      int errors = t.errors.getAndSet(0);
      try {
        jdbc.sql(
                """
                INSERT INTO gateway_health (gateway, node, state, failure_rate, last_error,
                                            last_error_at, updated_at)
                VALUES (:gateway, :node, :state, :rate, :lastError, :lastErrorAt, :now)
                ON CONFLICT (gateway, node) DO UPDATE
                SET state = EXCLUDED.state, failure_rate = EXCLUDED.failure_rate,
                    last_error = coalesce(EXCLUDED.last_error, gateway_health.last_error),
                    last_error_at = coalesce(EXCLUDED.last_error_at, gateway_health.last_error_at),
                    updated_at = EXCLUDED.updated_at
                """)
            .param("gateway", t.name)
            .param("node", node)
            .param("state", stateCode(t.breaker.getState()))
            .param("rate", rate(t.breaker.getMetrics().getFailureRate()))
            .param("lastError", t.lastError)
            .param("lastErrorAt", t.lastErrorAt == null ? null : Timestamp.from(t.lastErrorAt))
            .param("now", Timestamp.from(now))
            .update();
        if (accepted > 0 || errors > 0) {
          jdbc.sql(
                  """
                  INSERT INTO gateway_traffic (gateway, minute, node, accepted, errors)
                  VALUES (:gateway, :minute, :node, :accepted, :errors)
                  ON CONFLICT (gateway, minute, node) DO UPDATE
                  SET accepted = gateway_traffic.accepted + EXCLUDED.accepted,
                      errors = gateway_traffic.errors + EXCLUDED.errors
                  """)
              .param("gateway", t.name)
              .param("minute", Timestamp.from(minute))
              .param("node", node)
              .param("accepted", accepted)
              .param("errors", errors)
              .update();
        }
      } catch (RuntimeException e) {
        t.accepted.addAndGet(accepted);
        t.errors.addAndGet(errors);
        log.warn("Gateway health of {} not written: {}", t.name, e.toString());
      }
    }
    try {
      jdbc.sql("DELETE FROM gateway_traffic WHERE minute < :before")
          .param("before", Timestamp.from(minute.minus(Duration.ofHours(2))))
          .update();
    } catch (RuntimeException e) {
      log.warn("Old gateway traffic not deleted: {}", e.toString());
    }
  }

  private static Float rate(float rate) {
    return rate < 0 ? null : rate; // -1: not enough calls yet
  }

  /** The breaker's record of a failed submit (never thrown). */
  static final class GatewayFailure extends RuntimeException {
    GatewayFailure(String message) {
      super(message, null, false, false);
    }
  }
}

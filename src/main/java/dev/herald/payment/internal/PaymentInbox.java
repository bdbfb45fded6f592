package dev.herald.payment.internal;

import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook inbox. A verified event is stored by (provider, event id), committed, then processed
 * in one transaction that locks it, moves its payment (publishing PaymentSettled or PaymentFailed,
 * whose listeners do their whole effect) and marks it processed. A repeat waits for that lock and
 * then finds it done; an event whose processing did not complete (an error, a killed process) is
 * processed again by its repeat, at start-up, or by the periodic sweep.
 */
@Component
public class PaymentInbox {

  private static final Logger log = LoggerFactory.getLogger(PaymentInbox.class);
  private static final JsonMapper json = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final ProviderRegistry registry;
  private final PaymentTransitions transitions;
  private final PaymentService payments;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Duration pauseInEvent;

  PaymentInbox(
      JdbcClient jdbc,
      ProviderRegistry registry,
      PaymentTransitions transitions,
      PaymentService payments,
      TransactionTemplate tx,
      Clock clock,
      PaymentSettings settings) {
    this.jdbc = jdbc;
    this.registry = registry;
    this.transitions = transitions;
    this.payments = payments;
    this.tx = tx;
    this.clock = clock;
    this.pauseInEvent = settings.testHooks().pauseInEvent();
    if (pauseInEvent != null) {
      log.warn("TEST HOOK: processing of payment events pauses {} before it commits", pauseInEvent);
    }
  }

  /** What became of a received event. */
  public enum Receipt {
    PROCESSED,
    ALREADY_PROCESSED
  }

  /**
   * Verifies, stores and processes a webhook post. Throws {@link PaymentProvider.InvalidSignature}
   * (nothing stored) when the signature is wrong or old, and any other exception when processing
   * failed (the event stays in the inbox, unprocessed).
   */
  public Receipt receive(
      PaymentProvider provider,
      ProviderAccount account,
      String payload,
      Map<String, String> headers) {
    provider.verify(account, payload, headers);
    String eventId;
    String type;
    try {
      JsonNode root = json.readTree(payload);
      eventId = text(root.path("id"));
      type = text(root.path("type"));
    } catch (RuntimeException e) {
      throw new PaymentProvider.InvalidSignature("not a JSON event");
    }
    if (eventId == null || eventId.isBlank() || eventId.length() > 255) {
      throw new PaymentProvider.InvalidSignature("an event without an id");
    }
    jdbc.sql(
            """
            INSERT INTO payment_event (provider, event_id, account, type, payload, received_at)
            VALUES (:provider, :id, :account, :type, :payload, :now)
            ON CONFLICT (provider, event_id) DO NOTHING
            """)
        .param("provider", provider.name())
        .param("id", eventId)
        .param("account", account.provider().equals("sandbox") ? "sandbox" : account.inbox())
        .param("type", type == null ? "" : type)
        .param("payload", payload)
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return process(provider.name(), eventId, false) ? Receipt.PROCESSED : Receipt.ALREADY_PROCESSED;
  }

  /**
   * Processes a stored event if it is not processed yet; false when it was (or, with {@code
   * skipLocked}, when another transaction holds it).
   */
  public boolean process(String providerName, String eventId, boolean skipLocked) {
    try {
      return Boolean.TRUE.equals(
          tx.execute(status -> {
            Optional<StoredEvent> stored =
                jdbc.sql(
                        """
                        SELECT account, payload FROM payment_event
                        WHERE provider = :provider AND event_id = :id AND processed_at IS NULL
                        FOR UPDATE
                        """
                            + (skipLocked ? " SKIP LOCKED" : ""))
                    .param("provider", providerName)
                    .param("id", eventId)
                    .query((rs, n) -> new StoredEvent(rs.getString(1), rs.getString(2)))
                    .optional();
            if (stored.isEmpty()) {
              return false;
            }
            PaymentProvider provider = registry.provider(providerName);
            ProviderEvent event = provider.read(stored.get().payload());
            String outcome = applyToPayment(providerName, stored.get().account(), event);
            if (pauseInEvent != null) {
              log.warn("TEST HOOK: paused in event {} ({})", eventId, outcome);
              try {
                Thread.sleep(pauseInEvent);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            jdbc.sql(
                    """
                    UPDATE payment_event SET processed_at = :now, outcome = :outcome, attempts = attempts + 1,
                        last_error = NULL
                    WHERE provider = :provider AND event_id = :id
                    """)
                .param("now", Timestamp.from(clock.instant()))
                .param("outcome", outcome)
                .param("provider", providerName)
                .param("id", eventId)
                .update();
            return true;
          }));
    } catch (RuntimeException e) {
      Integer attempts =
          jdbc.sql(
                  """
                  UPDATE payment_event SET attempts = attempts + 1, last_error = :error
                  WHERE provider = :provider AND event_id = :id AND processed_at IS NULL
                  RETURNING attempts
                  """)
              .param("error", String.valueOf(e.getMessage()))
              .param("provider", providerName)
              .param("id", eventId)
              .query(Integer.class)
              .optional()
              .orElse(0);
      // Warn once; later attempts (the provider's retries, the sweep) are counted on the row.
      if (attempts <= 1) {
        log.warn("Payment event {} of {} not processed: {}", eventId, providerName, e.toString());
      } else {
        log.info(
            "Payment event {} of {} not processed (attempt {}): {}",
            eventId,
            providerName,
            attempts,
            e.toString());
      }
      throw e;
    }
  }

  private record StoredEvent(String account, String payload) {}

  private String applyToPayment(String provider, String account, ProviderEvent event) {
    if (event.outcome() == ProviderEvent.Outcome.IGNORED) {
      return "ignored";
    }
    Optional<PaymentKey> key = paymentOf(provider, account, event);
    if (key.isEmpty()) {
      log.info(
          "Payment event {} of {} names no payment of this account", event.eventId(), provider);
      return "no_payment";
    }
    PaymentRow locked = transitions.lock(key.get().tenant(), key.get().id()).orElseThrow();
    boolean moved =
        payments.apply(locked, event.outcome(), event.reason(), provider + ":" + event.eventId());
    return moved ? "moved:" + event.outcome().name().toLowerCase() : "unchanged";
  }

  private record PaymentKey(TenantId tenant, UUID id) {}

  /**
   * The payment an event is about: by the provider's session id, and only among the payments of the
   * account whose secret signed it, so a company's own webhook can move only its own payments.
   */
  private Optional<PaymentKey> paymentOf(String provider, String account, ProviderEvent event) {
    if (event.sessionId() == null) {
      return Optional.empty();
    }
    String accountCondition;
    UUID company = null;
    if (account.equals("sandbox")) {
      accountCondition = "TRUE";
    } else if (account.equals("operator")) {
      accountCondition = "account = 'operator'";
    } else if (account.startsWith("company:")) {
      accountCondition = "account = 'company' AND tenant_id = :company";
      company = UUID.fromString(account.substring("company:".length()));
    } else {
      return Optional.empty();
    }
    var query =
        jdbc.sql(
                "SELECT tenant_id, id FROM payment WHERE provider = :provider"
                    + " AND provider_session_id = :session AND "
                    + accountCondition)
            .param("provider", provider)
            .param("session", event.sessionId());
    if (company != null) {
      query = query.param("company", company);
    }
    return query
        .query((rs, n) ->
            new PaymentKey(new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class)))
        .optional();
  }

  /** Processes every event left unprocessed (received before {@code olderThan} ago). */
  public int processUnfinished(Duration olderThan) {
    List<String[]> open =
        jdbc.sql(
                """
                SELECT provider, event_id FROM payment_event
                WHERE processed_at IS NULL AND received_at <= :before
                ORDER BY received_at LIMIT 500
                """)
            .param("before", Timestamp.from(clock.instant().minus(olderThan)))
            .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
            .list();
    int done = 0;
    for (String[] e : open) {
      try {
        if (process(e[0], e[1], true)) {
          done++;
        }
      } catch (RuntimeException failed) {
        // Logged and counted on the row; the next sweep tries again.
      }
    }
    if (done > 0) {
      log.info("Processed {} payment events left unfinished", done);
    }
    return done;
  }

  static String text(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
  }
}

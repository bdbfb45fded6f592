package dev.herald.delivery.internal;

import dev.herald.delivery.Channel;
import dev.herald.delivery.gateway.SubmitResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;

/**
 * Prometheus metrics of dispatch: outcomes per gateway, claim decisions, records lost to another
 * node, worker deaths. Worker counts and queue depth and age are gauges registered with {@link
 * DispatchHealth} in DeliveryConfiguration.
 */
final class DispatchMetrics {

  private final MeterRegistry registry;

  DispatchMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void claimed(String gateway, DispatchStore.Claim claim) {
    claim
        .decisions()
        .forEach((decision, count) ->
            Counter.builder("herald.dispatch.claim.decisions")
                .description("Claimed rows that were not submitted, by what the claim decided")
                .tag("gateway", gateway)
                .tag("decision", decision)
                .register(registry)
                .increment(count));
  }

  void recorded(String gateway, List<SubmitResult> results, DispatchStore.Recorded recorded) {
    // Counted per batch: a meter look-up per SMS (building its id and tags) was a visible share of
    // the dispatcher's CPU in the SMPP benchmark (issue 12).
    int accepted = 0;
    int transientFailures = 0;
    int permanentFailures = 0;
    int unknown = 0;
    for (SubmitResult result : results) {
      switch (result) {
        case SubmitResult.Accepted a -> accepted++;
        case SubmitResult.TransientFailure f -> transientFailures++;
        case SubmitResult.PermanentFailure f -> permanentFailures++;
        case SubmitResult.Unknown u -> unknown++;
      }
    }
    outcomes(gateway, "accepted", accepted);
    outcomes(gateway, "transient_failure", transientFailures);
    outcomes(gateway, "permanent_failure", permanentFailures);
    outcomes(gateway, "unknown", unknown);
    if (recorded.lost() > 0) {
      Counter.builder("herald.dispatch.records.lost")
          .description("Outcomes not recorded because another node had taken the message over")
          .tag("gateway", gateway)
          .register(registry)
          .increment(recorded.lost());
    }
    if (recorded.alone() > 0) {
      Counter.builder("herald.dispatch.records.alone")
          .description("Outcomes recorded one by one after the database refused their batch")
          .tag("gateway", gateway)
          .register(registry)
          .increment(recorded.alone());
    }
  }

  private void outcomes(String gateway, String outcome, int count) {
    if (count > 0) {
      Counter.builder("herald.dispatch.outcomes")
          .description("Gateway answers to submits")
          .tag("gateway", gateway)
          .tag("outcome", outcome)
          .register(registry)
          .increment(count);
    }
  }

  void workerDied(Channel channel) {
    Counter.builder("herald.dispatch.worker.deaths")
        .description("Dispatch workers that died and were restarted")
        .tag("channel", channel.code().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }
}

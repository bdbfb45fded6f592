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
    for (SubmitResult result : results) {
      String outcome =
          switch (result) {
            case SubmitResult.Accepted a -> "accepted";
            case SubmitResult.TransientFailure f -> "transient_failure";
            case SubmitResult.PermanentFailure f -> "permanent_failure";
            case SubmitResult.Unknown u -> "unknown";
          };
      Counter.builder("herald.dispatch.outcomes")
          .description("Gateway answers to submits")
          .tag("gateway", gateway)
          .tag("outcome", outcome)
          .register(registry)
          .increment();
    }
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

  void workerDied(Channel channel) {
    Counter.builder("herald.dispatch.worker.deaths")
        .description("Dispatch workers that died and were restarted")
        .tag("channel", channel.code().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }
}

package dev.herald.delivery.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.delivery.receipts.*}: how delivery receipts are matched to messages.
 *
 * @param matchInterval how often a node looks for receipts due for matching while it finds some
 *     (stored receipts also wake it at once)
 * @param idleInterval how often at most it looks when it finds nothing (doubling from
 *     match-interval)
 * @param gather while receipts keep coming, how long at least between two batches that were not
 *     full, so that each statement matches many receipts rather than the few stored since the last
 *     one (a stored receipt wakes the matcher, but no sooner than this after its last batch; at
 *     most match-interval)
 * @param batchSize receipts matched per statement
 * @param horizon how long an unmatched receipt is tried again (with a growing pause, at most {@code
 *     max-pause}); after that it is kept but no longer tried
 * @param maxPause the longest pause between two tries of an unmatched receipt
 * @param partWait how long the parts of a concatenated inbound SMS wait for the rest of their set;
 *     after that, what came is kept as one SMS
 */
@ConfigurationProperties("herald.delivery.receipts")
record ReceiptSettings(
    @DefaultValue("500ms") Duration matchInterval,
    @DefaultValue("5s") Duration idleInterval,
    @DefaultValue("100ms") Duration gather,
    @DefaultValue("500") int batchSize,
    @DefaultValue("3d") Duration horizon,
    @DefaultValue("5m") Duration maxPause,
    @DefaultValue("10m") Duration partWait) {

  ReceiptSettings {
    if (batchSize < 1
        || matchInterval.isNegative()
        || matchInterval.isZero()
        || idleInterval.compareTo(matchInterval) < 0
        || gather.isNegative()
        || horizon.isNegative()
        || maxPause.isNegative()
        || maxPause.isZero()
        || partWait.isNegative()) {
      throw new IllegalArgumentException(
          "herald.delivery.receipts: batch-size at least 1, durations longer than zero,"
              + " idle-interval at least match-interval, gather not negative");
    }
  }
}

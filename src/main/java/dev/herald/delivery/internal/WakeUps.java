package dev.herald.delivery.internal;

import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundMessages;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes dispatch workers for work an enqueue made due now. PostgreSQL serializes the commits of
 * transactions that NOTIFY, so Herald notifies at most once per transaction, and not at all when
 * this node's workers of those channels are busy (they look again by themselves). This node's own
 * idle workers are woken directly once the transaction commits; other nodes hear the NOTIFY, or
 * poll.
 */
@Component
public class WakeUps {

  private final JdbcClient jdbc;
  private final DeliveryWorkers workers;

  WakeUps(JdbcClient jdbc, DeliveryWorkers workers) {
    this.jdbc = jdbc;
    this.workers = workers;
  }

  /** Called inside the enqueuing transaction. */
  public void afterCommit(Set<Channel> channels) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      notifyAll(channels);
      return;
    }
    // Synchronizations belong to the transaction (a REQUIRES_NEW one has its own), so this finds
    // the wake-up of this very transaction.
    if (TransactionSynchronizationManager.getSynchronizations().stream()
        .anyMatch(WakeUp.class::isInstance)) {
      return; // this transaction already arranged its wake-up
    }
    notifyAll(channels);
    TransactionSynchronizationManager.registerSynchronization(new WakeUp());
  }

  /** Wakes this node's idle workers once the enqueuing transaction has committed. */
  private final class WakeUp implements TransactionSynchronization {
    @Override
    public void afterCommit() {
      if (workers.isDispatching()) {
        workers.wakeUp();
      }
    }
  }

  private void notifyAll(Set<Channel> channels) {
    boolean localWorkersBusy =
        workers.isDispatching() && channels.stream().allMatch(workers::anyBusy);
    if (!localWorkersBusy) {
      jdbc.sql("SELECT pg_notify('" + OutboundMessages.WAKE_UP_CHANNEL + "', '')")
          .query()
          .singleValue();
    }
  }
}

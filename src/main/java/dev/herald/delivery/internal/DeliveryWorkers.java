package dev.herald.delivery.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Starts the LISTEN connection and the dispatch workers once the application is ready, and stops
 * them first on shutdown: before anything else hears that the context closes (the embedded
 * PostgreSQL stops on that event), so the batches in hand are submitted and recorded.
 */
@Component
public class DeliveryWorkers {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWorkers.class);

  private final DeliverySettings settings;
  private final Dispatcher dispatcher;
  private final WakeUpListener listener;
  private final WorkSignal signal;
  private boolean started;

  DeliveryWorkers(
      DeliverySettings settings,
      Dispatcher dispatcher,
      WakeUpListener listener,
      WorkSignal signal) {
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.listener = listener;
    this.signal = signal;
  }

  @EventListener(ApplicationReadyEvent.class)
  synchronized void start() {
    if (!settings.workerEnabled() || started) {
      return;
    }
    started = true;
    listener.start();
    dispatcher.start();
  }

  @EventListener(ContextClosedEvent.class)
  @Order(Ordered.HIGHEST_PRECEDENCE)
  synchronized void stop() {
    if (!started) {
      return;
    }
    started = false;
    try {
      dispatcher.stop();
      listener.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("Delivery workers stopped");
  }

  /** Whether the LISTEN connection is up (tests wait for it before they measure a wake-up). */
  public boolean isListening() {
    return listener.isListening();
  }

  /** Wakes this node's idle workers now, as a NOTIFY would. */
  public void wakeUp() {
    signal.wakeAll();
  }
}

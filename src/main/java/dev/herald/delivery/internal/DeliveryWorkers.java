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
  private final DispatchHealth health;
  private final ClockCheck clockCheck;
  private boolean started;

  DeliveryWorkers(
      DeliverySettings settings,
      Dispatcher dispatcher,
      WakeUpListener listener,
      WorkSignal signal,
      DispatchHealth health,
      ClockCheck clockCheck) {
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.listener = listener;
    this.signal = signal;
    this.health = health;
    this.clockCheck = clockCheck;
  }

  /**
   * Starts dispatch, unless this node's clock differs from the database's by more than {@code
   * herald.delivery.max-clock-skew}: leases, due times and validity are written with this node's
   * clock and compared with the others', so such a node would take or keep claims wrongly. It then
   * serves the web as usual and its health says why it does not dispatch. A running node checks
   * again before its claims ({@link ClockCheck}).
   */
  @EventListener(ApplicationReadyEvent.class)
  synchronized void start() {
    if (!settings.workerEnabled() || started) {
      return;
    }
    java.util.Optional<String> refusal =
        clockRefusal().map(reason -> reason + ": fix the node's time (NTP) and restart it");
    if (refusal.isPresent()) {
      health.refused(refusal.get());
      log.error("Delivery: not dispatching on this node: {}", refusal.get());
      return;
    }
    started = true;
    listener.start();
    dispatcher.start();
  }

  /** Why this node must not dispatch with its clock as it is now, if it must not. */
  public java.util.Optional<String> clockRefusal() {
    return clockCheck.refusal();
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

  /**
   * Whether a worker of this node for the channel is in a cycle now and so will look for work again
   * without being woken.
   */
  public boolean anyBusy(dev.herald.delivery.Channel channel) {
    return started && dispatcher.anyBusy(channel);
  }

  /** Whether this node dispatches at all. */
  public boolean isDispatching() {
    return started && dispatcher.isRunning();
  }
}

package dev.herald.payment;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.event.EventListener;

/**
 * A test listener that counts what PaymentSettled's and PaymentFailed's listeners see, per payment;
 * it can be told to fail once for a reference (a listener whose effect did not commit).
 */
@TestComponent
public class SettledCounter {

  final Map<UUID, AtomicInteger> settled = new ConcurrentHashMap<>();
  final Map<UUID, AtomicInteger> failed = new ConcurrentHashMap<>();
  final Set<String> failOnce = ConcurrentHashMap.newKeySet();

  @EventListener
  void on(PaymentSettled event) {
    if (failOnce.remove(event.reference())) {
      throw new IllegalStateException("the listener failed");
    }
    settled.computeIfAbsent(event.paymentId(), id -> new AtomicInteger()).incrementAndGet();
  }

  @EventListener
  void on(PaymentFailed event) {
    failed.computeIfAbsent(event.paymentId(), id -> new AtomicInteger()).incrementAndGet();
  }

  public int settled(UUID payment) {
    return settled.getOrDefault(payment, new AtomicInteger()).get();
  }

  public int failed(UUID payment) {
    return failed.getOrDefault(payment, new AtomicInteger()).get();
  }
}

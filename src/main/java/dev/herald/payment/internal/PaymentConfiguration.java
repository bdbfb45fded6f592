package dev.herald.payment.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Unfinished provider events are taken up at start-up (all of them) and every minute by a
 * db-scheduler task (those older than 30 s, so a webhook being processed right now is left to its
 * request; the lock would keep them apart anyway).
 */
@Configuration(proxyBeanMethods = false)
public class PaymentConfiguration {

  public static final String PAYMENT_INBOX_SWEEP = "payment-inbox-sweep";
  private static final Logger log = LoggerFactory.getLogger(PaymentConfiguration.class);

  @Bean
  RecurringTask<Void> paymentInboxSweepTask(PaymentInbox inbox) {
    return Tasks.recurring(PAYMENT_INBOX_SWEEP, FixedDelay.ofMinutes(1))
        .execute((instance, context) -> inbox.processUnfinished(Duration.ofSeconds(30)));
  }

  @Bean
  StartupSweep paymentStartupSweep(PaymentInbox inbox) {
    return new StartupSweep(inbox);
  }

  /** At start-up: whatever a previous process left unfinished. */
  static final class StartupSweep {
    private final PaymentInbox inbox;

    StartupSweep(PaymentInbox inbox) {
      this.inbox = inbox;
    }

    @EventListener(ApplicationReadyEvent.class)
    void sweep() {
      try {
        inbox.processUnfinished(Duration.ZERO);
      } catch (RuntimeException e) {
        log.warn("Start-up sweep of payment events failed; the periodic sweep tries again", e);
      }
    }
  }
}

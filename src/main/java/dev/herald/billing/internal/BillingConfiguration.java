package dev.herald.billing.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.herald.billing.BillingRuns;
import dev.herald.billing.Orders;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The billing run as a db-scheduler recurring task: hourly, so each company is billed within the
 * hour its period ends in its own time zone; db-scheduler runs it on one node at a time.
 */
@Configuration(proxyBeanMethods = false)
public class BillingConfiguration {

  public static final String BILLING_RUN = "billing-run";

  @Bean
  public RecurringTask<Void> billingRunTask(BillingRuns runs) {
    return Tasks.recurring(BILLING_RUN, FixedDelay.ofHours(1))
        .execute((instance, context) -> runs.run());
  }

  public static final String ORDER_EXPIRY = "sms-order-expiry";

  public static final String ORDER_RECHECK = "sms-order-recheck";

  /**
   * Orders whose payment did not come in time expire (their open invoice voided), and drafts never
   * placed are forgotten after a while.
   */
  @Bean
  public RecurringTask<Void> orderExpiryTask(Orders orders) {
    return Tasks.recurring(ORDER_EXPIRY, FixedDelay.of(Duration.ofMinutes(5)))
        .execute((instance, context) -> {
          orders.expireDue();
          orders.forgetAbandonedDrafts();
        });
  }

  /** Orders awaiting a checkout's payment for a while are asked about again. */
  @Bean
  public RecurringTask<Void> orderRecheckTask(Orders orders) {
    return Tasks.recurring(ORDER_RECHECK, FixedDelay.of(Duration.ofMinutes(5)))
        .execute((instance, context) -> orders.recheckWaiting());
  }
}

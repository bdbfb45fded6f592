package dev.herald.billing.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.herald.billing.BillingRuns;
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
}

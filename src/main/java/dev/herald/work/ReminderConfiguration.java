package dev.herald.work;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The reminder run as a db-scheduler recurring task: every 15 minutes, so each contact gets theirs
 * soon after the company's hour in their own time zone; db-scheduler runs it on one node at a time,
 * and the run itself is safe on several.
 */
@Configuration(proxyBeanMethods = false)
class ReminderConfiguration {

  static final String DOCUMENT_REMINDERS = "document-reminders";

  @Bean
  RecurringTask<Void> documentRemindersTask(DocumentReminders reminders) {
    return Tasks.recurring(DOCUMENT_REMINDERS, FixedDelay.ofMinutes(15))
        .execute((instance, context) -> reminders.run());
  }
}

package dev.herald.work;

import dev.herald.notification.MessageTemplates;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.StaleEditException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each company's document settings; a company that never saved them gets the defaults (its
 * country's currency, 14 days to pay, 60-day portal links, reminders after 3, 7 and 14 days at
 * 10:00).
 */
@Service
public class DocumentSettingsStore {

  private final JdbcClient jdbc;
  private final Companies companies;
  private final Clock clock;

  DocumentSettingsStore(JdbcClient jdbc, Companies companies, Clock clock) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.clock = clock;
  }

  @Transactional
  public DocumentSettings of(TenantId tenant) {
    jdbc.sql(
            """
            INSERT INTO document_settings (tenant_id, currency, updated_at) VALUES (:tenant, :currency, :now)
            ON CONFLICT (tenant_id) DO NOTHING
            """)
        .param("tenant", tenant.value())
        .param(
            "currency",
            MessageTemplates.currencyOf(companies.require(tenant).country()).getCurrencyCode())
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return jdbc.sql("SELECT * FROM document_settings WHERE tenant_id = :tenant")
        .param("tenant", tenant.value())
        .query((rs, row) -> map(rs))
        .single();
  }

  /** The settings as typed into the form, checked all at once. */
  public record Input(
      String currency,
      String paymentDays,
      String portalLinkDays,
      boolean remindersEnabled,
      String reminderDays,
      String maxReminders,
      String reminderHour) {}

  @Transactional
  public DocumentSettings update(TenantId tenant, int version, Input input) {
    of(tenant);
    List<FieldProblem> problems = new ArrayList<>();
    Currency currency = null;
    try {
      currency = Currency.getInstance(input.currency().strip().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      problems.add(FieldProblem.of("currency", "documents.settings.currency.invalid"));
    }
    Integer paymentDays = number(problems, "paymentDays", input.paymentDays(), 0, 365);
    Integer linkDays = number(problems, "portalLinkDays", input.portalLinkDays(), 1, 365);
    Integer max = number(problems, "maxReminders", input.maxReminders(), 0, 10);
    Integer hour = number(problems, "reminderHour", input.reminderHour(), 8, 20);
    List<Integer> days = reminderDays(problems, input.reminderDays());
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    int updated =
        jdbc.sql(
                """
                UPDATE document_settings SET currency = :currency, payment_days = :paymentDays,
                    portal_link_days = :linkDays, reminders_enabled = :enabled,
                    reminder_days = :days::integer[], max_reminders = :max, reminder_hour = :hour,
                    version = version + 1, updated_at = :now
                WHERE tenant_id = :tenant AND version = :version
                """)
            .param("currency", currency.getCurrencyCode())
            .param("paymentDays", paymentDays)
            .param("linkDays", linkDays)
            .param("enabled", input.remindersEnabled())
            .param("days", days.toArray(Integer[]::new))
            .param("max", max)
            .param("hour", hour)
            .param("now", Timestamp.from(clock.instant()))
            .param("tenant", tenant.value())
            .param("version", version)
            .update();
    if (updated == 0) {
      throw new StaleEditException("Document settings");
    }
    return of(tenant);
  }

  private static List<Integer> reminderDays(List<FieldProblem> problems, String text) {
    TreeSet<Integer> days = new TreeSet<>();
    String[] parts = (text == null ? "" : text).split("[,;\\s]+");
    for (String part : parts) {
      if (part.isBlank()) {
        continue;
      }
      try {
        int day = Integer.parseInt(part.strip());
        if (day < 1 || day > 365) {
          throw new NumberFormatException();
        }
        days.add(day);
      } catch (NumberFormatException e) {
        problems.add(FieldProblem.of("reminderDays", "documents.settings.reminderDays.invalid"));
        return List.of();
      }
    }
    if (days.isEmpty() || days.size() > 10) {
      problems.add(FieldProblem.of("reminderDays", "documents.settings.reminderDays.invalid"));
    }
    return new ArrayList<>(days);
  }

  private static Integer number(
      List<FieldProblem> problems, String field, String text, int min, int max) {
    try {
      int value = Integer.parseInt(text == null ? "" : text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(FieldProblem.of(field, "documents.settings.range", min, max));
    return null;
  }

  private static DocumentSettings map(ResultSet rs) throws SQLException {
    Array days = rs.getArray("reminder_days");
    return new DocumentSettings(
        Currency.getInstance(rs.getString("currency")),
        rs.getInt("payment_days"),
        rs.getInt("portal_link_days"),
        rs.getBoolean("reminders_enabled"),
        Arrays.asList((Integer[]) days.getArray()),
        rs.getInt("max_reminders"),
        rs.getInt("reminder_hour"),
        rs.getInt("version"));
  }
}

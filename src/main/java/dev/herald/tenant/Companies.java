package dev.herald.tenant;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.Ids;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.StaleEditException;
import dev.herald.shared.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The companies (tenants) of this Herald. */
@Repository
public class Companies {

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  Companies(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
    this.jdbc = jdbc;
    this.events = events;
    this.clock = clock;
  }

  /** Checks settings typed by the operator and creates the company. */
  @Transactional
  public Company create(CompanySettings settings, Plan plan) {
    CompanyRules.Checked c = CompanyRules.check(settings);
    return create(
        new NewCompany(c.name(), plan, c.country(), c.timeZone(), c.language(), c.sender()));
  }

  @Transactional
  public Company create(NewCompany company) {
    TenantId id = new TenantId(Ids.next());
    jdbc.sql(
            """
            INSERT INTO company (id, name, plan, country, time_zone, language, sms_sender_name, created_at)
            VALUES (:id, :name, :plan, :country, :zone, :language, :sender, :now)
            """)
        .param("id", id.value())
        .param("name", company.name().strip())
        .param("plan", company.plan().name())
        .param("country", company.country())
        .param("zone", company.timeZone().getId())
        .param("language", company.language().code())
        .param("sender", company.smsSenderName())
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return find(id).orElseThrow();
  }

  public Optional<Company> find(TenantId id) {
    return jdbc.sql("SELECT * FROM company WHERE id = :id")
        .param("id", id.value())
        .query(Companies::map)
        .optional();
  }

  /** The company, which must exist: the tenant of a signed-in user or an API key always does. */
  public Company require(TenantId id) {
    return find(id).orElseThrow(() -> new NotFoundException("Company"));
  }

  public List<Company> all() {
    return jdbc.sql("SELECT * FROM company ORDER BY lower(name), id").query(Companies::map).list();
  }

  /** Changes the settings of A3; a stale {@code version} changes nothing. */
  @Transactional
  public Company updateSettings(TenantId id, int version, CompanySettings settings) {
    CompanyRules.Checked checked = CompanyRules.check(settings);
    int updated =
        jdbc.sql(
                """
                UPDATE company SET name = :name, country = :country, time_zone = :zone,
                       language = :language, sms_sender_name = :sender, version = version + 1
                WHERE id = :id AND version = :version
                """)
            .param("name", checked.name())
            .param("country", checked.country())
            .param("zone", checked.timeZone().getId())
            .param("language", checked.language().code())
            .param("sender", checked.sender())
            .param("id", id.value())
            .param("version", version)
            .update();
    if (updated == 0) {
      find(id).orElseThrow(() -> new NotFoundException("Company"));
      throw new StaleEditException("Company");
    }
    return find(id).orElseThrow();
  }

  /** The operator moves a company to another plan; on Free, SMS stops but nothing is taken away. */
  @Transactional
  public void changePlan(TenantId id, Plan plan) {
    jdbc.sql("UPDATE company SET plan = :plan, version = version + 1 WHERE id = :id")
        .param("plan", plan.name())
        .param("id", id.value())
        .update();
    if (!plan.allowsSms()) {
      events.publishEvent(new SmsStopped(id, "plan without SMS"));
    }
  }

  @Transactional
  public void setSmsUnlocked(TenantId id, boolean unlocked) {
    jdbc.sql("UPDATE company SET sms_unlocked = :u, version = version + 1 WHERE id = :id")
        .param("u", unlocked)
        .param("id", id.value())
        .update();
    if (!unlocked) {
      events.publishEvent(new SmsStopped(id, "SMS locked"));
    }
  }

  /**
   * The operator locks or unlocks SMS on purpose (the console): a lock is also remembered as the
   * operator's block, which no purchase lifts ({@link #unlockSmsUnlessBlocked}); an unlock clears
   * it.
   */
  @Transactional
  public void setSmsUnlockedByOperator(TenantId id, boolean unlocked) {
    jdbc.sql(
            """
            UPDATE company SET sms_unlocked = :u, sms_blocked_by_operator = NOT :u, version = version + 1
            WHERE id = :id
            """)
        .param("u", unlocked)
        .param("id", id.value())
        .update();
    if (!unlocked) {
      events.publishEvent(new SmsStopped(id, "SMS locked"));
    }
  }

  /**
   * Clears the operator's block without unlocking (the operator's own unlock of monthly blocks).
   */
  @Transactional
  public void clearOperatorBlock(TenantId id) {
    jdbc.sql("UPDATE company SET sms_blocked_by_operator = false WHERE id = :id")
        .param("id", id.value())
        .update();
  }

  /** Whether the operator blocked the company's SMS on purpose. */
  public boolean smsBlockedByOperator(TenantId id) {
    return jdbc.sql("SELECT sms_blocked_by_operator FROM company WHERE id = :id")
        .param("id", id.value())
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  /**
   * Unlocks SMS after a payment (B2), unless the operator blocked it on purpose. Returns whether
   * SMS is unlocked afterwards.
   */
  @Transactional
  public boolean unlockSmsUnlessBlocked(TenantId id) {
    jdbc.sql(
            """
            UPDATE company SET sms_unlocked = true, version = version + 1
            WHERE id = :id AND NOT sms_unlocked AND NOT sms_blocked_by_operator
            """)
        .param("id", id.value())
        .update();
    return jdbc.sql("SELECT sms_unlocked FROM company WHERE id = :id")
        .param("id", id.value())
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  @Transactional
  public void setSmsDefaultOn(TenantId id, boolean on) {
    jdbc.sql("UPDATE company SET sms_default_on = :on, version = version + 1 WHERE id = :id")
        .param("on", on)
        .param("id", id.value())
        .update();
  }

  /** Switches smart encoding and sets the segment cap (F3, F4); a cap outside 1..20 is refused. */
  @Transactional
  public Company updateSmsTextSettings(TenantId id, boolean smartEncoding, int segmentCap) {
    if (segmentCap < Company.MIN_SMS_SEGMENT_CAP || segmentCap > Company.MAX_SMS_SEGMENT_CAP) {
      throw new InvalidInputException(
          FieldProblem.of(
              "segmentCap",
              "sms.settings.cap.range",
              Company.MIN_SMS_SEGMENT_CAP,
              Company.MAX_SMS_SEGMENT_CAP));
    }
    int updated =
        jdbc.sql(
                """
                UPDATE company SET sms_smart_encoding = :smart, sms_segment_cap = :cap,
                       version = version + 1
                WHERE id = :id
                """)
            .param("smart", smartEncoding)
            .param("cap", segmentCap)
            .param("id", id.value())
            .update();
    if (updated == 0) {
      throw new NotFoundException("Company");
    }
    return find(id).orElseThrow();
  }

  static Company map(ResultSet rs, int row) throws SQLException {
    return new Company(
        new TenantId(rs.getObject("id", java.util.UUID.class)),
        rs.getString("name"),
        Plan.valueOf(rs.getString("plan")),
        rs.getString("country"),
        ZoneId.of(rs.getString("time_zone")),
        Language.fromCode(rs.getString("language")).orElseThrow(),
        rs.getString("sms_sender_name"),
        rs.getBoolean("sms_unlocked"),
        rs.getBoolean("sms_default_on"),
        rs.getInt("version"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getBoolean("sms_smart_encoding"),
        rs.getInt("sms_segment_cap"));
  }
}

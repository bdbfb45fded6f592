package dev.herald.tenant;

import dev.herald.shared.Language;
import dev.herald.shared.TenantId;
import java.time.Instant;
import java.time.ZoneId;

/** A business using Herald, with the settings that shape what its customers receive (A3). */
public record Company(
    TenantId id,
    String name,
    Plan plan,
    String country,
    ZoneId timeZone,
    Language language,
    String smsSenderName,
    boolean smsUnlocked,
    boolean smsDefaultOn,
    int version,
    Instant createdAt,
    boolean smsSmartEncoding,
    int smsSegmentCap) {

  /** Fewest and most segments a company may allow one SMS to use (F4). */
  public static final int MIN_SMS_SEGMENT_CAP = 1;

  public static final int MAX_SMS_SEGMENT_CAP = 20;

  /** SMS may be sent: the operator unlocked it and the plan allows it. */
  public boolean smsAvailable() {
    return smsUnlocked && plan.allowsSms();
  }

  /**
   * {@link #smsAvailable()} as a SQL condition over the {@code company} table under {@code alias},
   * for claims that decide in the database; a test holds the two equal over every state.
   */
  public static String smsAvailableSql(String alias) {
    return "(%1$s.sms_unlocked AND %1$s.plan IN (%2$s))"
        .formatted(
            alias,
            java.util.Arrays.stream(Plan.values())
                .filter(Plan::allowsSms)
                .map(p -> "'" + p.name() + "'")
                .collect(java.util.stream.Collectors.joining(", ")));
  }
}

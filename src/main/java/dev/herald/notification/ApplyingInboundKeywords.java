package dev.herald.notification;

import dev.herald.contact.OptOuts;
import dev.herald.delivery.InboundSmsReceived;
import dev.herald.shared.PhoneNumber;
import java.sql.Timestamp;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Applies the keywords of inbound SMS (C5): STOP opts the sender's number out of the company that
 * heard it, START opts it back in, each written to the consent log with its source ({@code
 * sms:STOP}); contact's opt-out then puts the number on delivery's suppression list and cancels
 * what waits. Once per inbound SMS and company, though the event may come twice.
 */
@Component
class ApplyingInboundKeywords {

  private static final Logger log = LoggerFactory.getLogger(ApplyingInboundKeywords.class);

  private final OptOuts optOuts;
  private final JdbcClient jdbc;
  private final Clock clock;

  ApplyingInboundKeywords(OptOuts optOuts, JdbcClient jdbc, Clock clock) {
    this.optOuts = optOuts;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @ApplicationModuleListener
  void on(InboundSmsReceived sms) {
    InboundKeywords.Keyword keyword = InboundKeywords.of(sms.text());
    if (keyword == InboundKeywords.Keyword.NONE || keyword == InboundKeywords.Keyword.HELP) {
      return; // replies belong to conversation; HELP's answer is not built yet
    }
    if (!sms.from().matches("\\+[1-9][0-9]{6,14}")) {
      log.info(
          "Inbound SMS {}: {} from a sender that is no number; ignored", sms.inboundId(), keyword);
      return;
    }
    int first =
        jdbc.sql(
                """
                INSERT INTO inbound_keyword_applied (tenant_id, inbound_id, keyword, applied_at)
                VALUES (:t, :id, :k, :now) ON CONFLICT DO NOTHING
                """)
            .param("t", sms.tenant().value())
            .param("id", sms.inboundId())
            .param("k", keyword.name())
            .param("now", Timestamp.from(clock.instant()))
            .update();
    if (first == 0) {
      return;
    }
    String source = "sms:" + InboundKeywords.normalized(sms.text());
    boolean changed =
        keyword == InboundKeywords.Keyword.STOP
            ? optOuts.optOut(sms.tenant(), sms.from(), source)
            : optOuts.optIn(sms.tenant(), sms.from(), source);
    log.info(
        "Inbound {} from {} for company {}: {}",
        keyword,
        PhoneNumber.mask(sms.from()),
        sms.tenant(),
        changed ? "applied" : "nothing to change");
  }
}

package dev.herald.delivery.internal;

import dev.herald.shared.Recipients;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Masks the recipients of a deleted contact's finished messages, here, in the simulator's records
 * and in the mail sink; the texts stay, so the history and the money records still add up.
 */
public final class RecipientMasking {

  private RecipientMasking() {}

  /** Each entry: a message id and its recipient as stored. */
  public static void mask(
      JdbcClient jdbc, TenantId tenant, List<Map.Entry<UUID, String>> recipients, Timestamp now) {
    for (Map.Entry<UUID, String> r : recipients) {
      String masked = Recipients.mask(r.getValue());
      jdbc.sql(
              """
              UPDATE outbound_message SET recipient = :masked, recipient_masked = true, updated_at = :now
              WHERE tenant_id = :tenant AND id = :id AND NOT recipient_masked
              """)
          .param("masked", masked)
          .param("now", now)
          .param("tenant", tenant.value())
          .param("id", r.getKey())
          .update();
      for (String table : List.of("simulator_sms", "mail_sink")) {
        jdbc.sql(
                "UPDATE "
                    + table
                    + " SET recipient = :masked WHERE tenant_id = :tenant AND message_id = :id")
            .param("masked", masked)
            .param("tenant", tenant.value())
            .param("id", r.getKey())
            .update();
      }
    }
  }
}

package dev.herald.delivery;

import dev.herald.shared.PageOf;
import dev.herald.shared.PhoneNumber;
import dev.herald.shared.TenantId;
import java.sql.Array;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** What the built-in SMS simulator received, per company, newest first (for the UI and tests). */
@Service
public class SimulatorRecords {

  private final JdbcClient jdbc;

  SimulatorRecords(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public PageOf<SimulatedSms> of(TenantId tenant, int page, int size) {
    int pageSize = Math.clamp(size, 1, 200);
    int pageNumber = Math.max(0, page);
    long total =
        jdbc.sql("SELECT count(*) FROM simulator_sms WHERE tenant_id = :tenant")
            .param("tenant", tenant.value())
            .query(Long.class)
            .single();
    List<SimulatedSms> items =
        jdbc.sql(
                """
                SELECT * FROM simulator_sms WHERE tenant_id = :tenant
                ORDER BY submitted_at DESC, id DESC LIMIT :limit OFFSET :offset
                """)
            .param("tenant", tenant.value())
            .param("limit", pageSize)
            .param("offset", (long) pageNumber * pageSize)
            .query((rs, row) -> {
              Array ids = rs.getArray("gateway_ids");
              return new SimulatedSms(
                  rs.getObject("id", UUID.class),
                  rs.getObject("message_id", UUID.class),
                  rs.getString("sender"),
                  PhoneNumber.mask(rs.getString("recipient")),
                  rs.getString("text"),
                  rs.getString("encoding"),
                  rs.getInt("parts"),
                  Arrays.asList((String[]) ids.getArray()),
                  rs.getTimestamp("submitted_at").toInstant(),
                  rs.getString("node"));
            })
            .list();
    return new PageOf<>(items, pageNumber, pageSize, total);
  }

  /** How many times the simulator received this message (more than one only after a re-submit). */
  public int submissionsOf(TenantId tenant, UUID messageId) {
    return jdbc.sql(
            "SELECT count(*) FROM simulator_sms WHERE tenant_id = :tenant AND message_id = :id")
        .param("tenant", tenant.value())
        .param("id", messageId)
        .query(Integer.class)
        .single();
  }
}

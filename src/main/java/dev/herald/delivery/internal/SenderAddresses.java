package dev.herald.delivery.internal;

import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.gateway.SourceAddress;
import java.sql.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The source address of each SMS of a claim (SenderRules), read in one statement per batch: the
 * message's kind and the numbers its company sends from on this gateway (or on any).
 */
class SenderAddresses {

  /** For a dispatcher without a database of senders (unit tests): the sender as it came. */
  static final SenderAddresses NONE = new SenderAddresses(null);

  private final JdbcClient jdbc;

  SenderAddresses(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Per message id, its source address; a message missing here goes from its sender name. */
  Map<UUID, SourceAddress> of(List<DispatchStore.Claimed> claimed, String gateway) {
    Map<UUID, SourceAddress> sources = new HashMap<>();
    if (jdbc == null || claimed.isEmpty()) {
      return sources;
    }
    UUID[] tenants = new UUID[claimed.size()];
    UUID[] ids = new UUID[claimed.size()];
    Map<UUID, DispatchStore.Claimed> byId = new HashMap<>();
    for (int i = 0; i < claimed.size(); i++) {
      tenants[i] = claimed.get(i).tenant().value();
      ids[i] = claimed.get(i).id();
      byId.put(ids[i], claimed.get(i));
    }
    jdbc.sql(
            """
            SELECT m.id, m.kind,
                   (SELECT array_agg(n.number || ' ' || n.country ORDER BY n.number)
                    FROM sender_number_company a JOIN sender_number n ON n.id = a.number_id
                    WHERE a.tenant_id = m.tenant_id AND (n.gateway IS NULL OR n.gateway = :gateway))
                       AS numbers
            FROM unnest(:tenants::uuid[], :ids::uuid[]) AS k(tenant_id, id)
            JOIN outbound_message m ON m.tenant_id = k.tenant_id AND m.id = k.id
            """)
        .param("gateway", gateway)
        .param("tenants", tenants)
        .param("ids", ids)
        .query(rs -> {
          UUID id = rs.getObject("id", UUID.class);
          DispatchStore.Claimed m = byId.get(id);
          List<SenderRules.Number> numbers = new ArrayList<>();
          Array array = rs.getArray("numbers");
          if (array != null) {
            for (String entry : (String[]) array.getArray()) {
              int space = entry.indexOf(' ');
              numbers.add(
                  new SenderRules.Number(entry.substring(0, space), entry.substring(space + 1)));
            }
          }
          sources.put(
              id,
              SenderRules.choose(
                  m.sender(), OutboundKind.fromCode(rs.getString("kind")), m.recipient(), numbers));
        });
    return sources;
  }
}

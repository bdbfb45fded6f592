package dev.herald.delivery;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.Ids;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The numbers the operator holds (long numbers, short codes), the gateway each goes by and the
 * companies that send from it. SMS to a country that refuses alphanumeric senders, and messages the
 * customer may answer, go from one of the company's numbers; an SMS to a number is matched to the
 * companies it is assigned to.
 */
@Service
public class SenderNumbers {

  /** A number with the companies that send from it. */
  public record SenderNumber(
      UUID id,
      String number,
      String kind,
      String country,
      String gateway,
      List<TenantId> companies) {

    public boolean shortCode() {
      return kind.equals("short");
    }
  }

  private final JdbcClient jdbc;
  private final Clock clock;

  SenderNumbers(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Adds a number: a long number as people write it internationally ({@code +1 415 555 0100}), its
   * country from the number; or a short code (3 to 8 digits) with the country it works in. gateway
   * blank: any gateway.
   */
  @Transactional
  public SenderNumber add(String number, String country, String gateway) {
    List<FieldProblem> problems = new ArrayList<>();
    String raw = number == null ? "" : number.replaceAll("[\\s\\-().]", "");
    String cc = country == null ? "" : country.strip().toUpperCase(Locale.ROOT);
    String kind;
    String stored = raw;
    if (raw.matches("[0-9]{3,8}")) {
      kind = "short";
      if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(cc)) {
        problems.add(FieldProblem.of("country", "senders.country.needed"));
      }
    } else {
      kind = "long";
      try {
        var parsed =
            PhoneNumberUtil.getInstance().parse(raw.startsWith("+") ? raw : "+" + raw, null);
        if (!raw.startsWith("+") || !PhoneNumberUtil.getInstance().isValidNumber(parsed)) {
          problems.add(FieldProblem.of("number", "senders.number.invalid"));
        } else {
          stored =
              PhoneNumberUtil.getInstance().format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
          cc = PhoneNumberUtil.getInstance().getRegionCodeForNumber(parsed);
        }
      } catch (NumberParseException e) {
        problems.add(FieldProblem.of("number", "senders.number.invalid"));
      }
    }
    String gw = gateway == null || gateway.isBlank() ? null : gateway.strip();
    if (gw != null && !gw.matches("[A-Za-z0-9_-]{1,60}")) {
      problems.add(FieldProblem.of("gateway", "senders.gateway.invalid"));
    }
    if (problems.isEmpty() && find(stored).isPresent()) {
      problems.add(FieldProblem.of("number", "senders.number.taken"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    UUID id = Ids.next();
    jdbc.sql(
            """
            INSERT INTO sender_number (id, number, kind, country, gateway, created_at)
            VALUES (:id, :number, :kind, :country, :gateway, :now)
            """)
        .param("id", id)
        .param("number", stored)
        .param("kind", kind)
        .param("country", cc)
        .param("gateway", gw, java.sql.Types.VARCHAR)
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return new SenderNumber(id, stored, kind, cc, gw, List.of());
  }

  /** Lets a company send from the number (and hear what is sent to it); true if it was new. */
  @Transactional
  public boolean assign(UUID numberId, TenantId tenant) {
    return jdbc.sql(
                """
                INSERT INTO sender_number_company (tenant_id, number_id, assigned_at)
                SELECT :tenant, n.id, :now FROM sender_number n WHERE n.id = :id
                ON CONFLICT DO NOTHING
                """)
            .param("tenant", tenant.value())
            .param("id", numberId)
            .param("now", Timestamp.from(clock.instant()))
            .update()
        == 1;
  }

  /** The company no longer sends from the number; true if it did. */
  @Transactional
  public boolean unassign(UUID numberId, TenantId tenant) {
    return jdbc.sql(
                "DELETE FROM sender_number_company WHERE tenant_id = :tenant AND number_id = :id")
            .param("tenant", tenant.value())
            .param("id", numberId)
            .update()
        == 1;
  }

  /** Every number, long numbers first, with its companies. */
  public List<SenderNumber> all() {
    return jdbc.sql(SELECT + " GROUP BY n.id ORDER BY n.kind, n.number").query(this::map).list();
  }

  public Optional<SenderNumber> find(UUID id) {
    return jdbc.sql(SELECT + " WHERE n.id = :id GROUP BY n.id")
        .param("id", id)
        .query(this::map)
        .optional();
  }

  private Optional<SenderNumber> find(String number) {
    return jdbc.sql(SELECT + " WHERE n.number = :number GROUP BY n.id")
        .param("number", number)
        .query(this::map)
        .optional();
  }

  /** The numbers a company sends from. */
  public List<SenderNumber> ofCompany(TenantId tenant) {
    return all().stream().filter(n -> n.companies().contains(tenant)).toList();
  }

  private static final String SELECT =
      """
      SELECT n.id, n.number, n.kind, n.country, n.gateway,
             array_remove(array_agg(a.tenant_id ORDER BY a.assigned_at), NULL) AS companies
      FROM sender_number n LEFT JOIN sender_number_company a ON a.number_id = n.id
      """;

  private SenderNumber map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    Array companies = rs.getArray("companies");
    List<TenantId> tenants =
        companies == null
            ? List.of()
            : Arrays.stream((Object[]) companies.getArray())
                .map(o -> new TenantId((UUID) o))
                .toList();
    return new SenderNumber(
        rs.getObject("id", UUID.class),
        rs.getString("number"),
        rs.getString("kind"),
        rs.getString("country"),
        rs.getString("gateway"),
        tenants);
  }
}

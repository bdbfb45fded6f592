package dev.herald.contact;

import dev.herald.contact.Contact.Preferences;
import dev.herald.contact.ContactRules.CheckedPhone;
import dev.herald.shared.Ids;
import dev.herald.shared.Language;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.PageOf;
import dev.herald.shared.StaleEditException;
import dev.herald.shared.TenantId;
import dev.herald.shared.Text;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The contacts (customers) of each company; every call names the company. */
@Repository
public class Contacts {

  private static final String SELECT =
      """
      SELECT c.id, c.name, c.language, c.time_zone, c.email_enabled, c.sms_enabled,
             c.reminders_enabled, c.version, c.created_at, c.updated_at,
             coalesce(e.addresses, '{}') AS emails,
             coalesce(p.types, '{}') AS phone_types,
             coalesce(p.numbers, '{}') AS phone_numbers,
             coalesce(p.opted_out, '{}') AS phone_opted_out
      FROM contact c
      LEFT JOIN LATERAL (
          SELECT array_agg(address ORDER BY position) AS addresses
          FROM contact_email WHERE tenant_id = c.tenant_id AND contact_id = c.id) e ON true
      LEFT JOIN LATERAL (
          SELECT array_agg(cp.type ORDER BY cp.position) AS types,
                 array_agg(cp.number ORDER BY cp.position) AS numbers,
                 array_agg(o.number IS NOT NULL ORDER BY cp.position) AS opted_out
          FROM contact_phone cp
          LEFT JOIN sms_opt_out o ON o.tenant_id = cp.tenant_id AND o.number = cp.number
          WHERE cp.tenant_id = c.tenant_id AND cp.contact_id = c.id) p ON true
      WHERE c.tenant_id = :tenant AND c.anonymised_at IS NULL
      """;

  /** Contacts SMS may be ticked for: a mobile number that has not opted out, SMS not ticked yet. */
  private static final String SMS_DEFAULT_CANDIDATES =
      """
      c.tenant_id = :tenant AND c.anonymised_at IS NULL AND NOT c.sms_enabled
      AND EXISTS (
          SELECT 1 FROM contact_phone p
          WHERE p.tenant_id = c.tenant_id AND p.contact_id = c.id AND p.type = 'MOBILE'
            AND NOT EXISTS (SELECT 1 FROM sms_opt_out o
                            WHERE o.tenant_id = p.tenant_id AND o.number = p.number))
      """;

  private final JdbcClient jdbc;
  private final Companies companies;
  private final OptOuts optOuts;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  Contacts(
      JdbcClient jdbc,
      Companies companies,
      OptOuts optOuts,
      ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.optOuts = optOuts;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Creates a contact. SMS not said: ticked when the company's SMS default is on (B3) and the
   * contact has a mobile number that has not opted out.
   */
  @Transactional
  public Contact create(TenantId tenant, ContactInput input) {
    Company company = company(tenant);
    ContactRules.Checked c = ContactRules.check(input, company);
    boolean sms =
        c.sms() != null
            ? c.sms()
            : company.smsAvailable() && company.smsDefaultOn() && anyMobileNotOptedOut(tenant, c);
    UUID id = Ids.next();
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql(
            """
            INSERT INTO contact (tenant_id, id, name, language, time_zone, email_enabled, sms_enabled,
                                 reminders_enabled, created_at, updated_at)
            VALUES (:tenant, :id, :name, :language, :zone, :email, :sms, :reminders, :now, :now)
            """)
        .param("tenant", tenant.value())
        .param("id", id)
        .param("name", c.name())
        .param("language", c.language().code())
        .param("zone", c.timeZone() == null ? null : c.timeZone().getId())
        .param("email", c.email() == null || c.email())
        .param("sms", sms)
        .param("reminders", c.reminders() == null || c.reminders())
        .param("now", now)
        .update();
    writeEmailsAndPhones(tenant, id, c);
    return find(tenant, id).orElseThrow();
  }

  /**
   * Replaces a contact's data when {@code expectedVersion} is still current; a preference not said
   * keeps its value (SMS is dropped when no mobile number is left).
   */
  @Transactional
  public Contact update(TenantId tenant, UUID id, int expectedVersion, ContactInput input) {
    Contact existing = find(tenant, id).orElseThrow(() -> new NotFoundException("Contact"));
    ContactRules.Checked c = ContactRules.check(input, company(tenant));
    boolean sms = c.sms() != null ? c.sms() : existing.preferences().sms() && c.hasMobile();
    int updated =
        jdbc.sql(
                """
                UPDATE contact SET name = :name, language = :language, time_zone = :zone,
                       email_enabled = :email, sms_enabled = :sms, reminders_enabled = :reminders,
                       version = version + 1, updated_at = :now
                WHERE tenant_id = :tenant AND id = :id AND version = :version
                  AND anonymised_at IS NULL
                """)
            .param("name", c.name())
            .param("language", c.language().code())
            .param("zone", c.timeZone() == null ? null : c.timeZone().getId())
            .param("email", c.email() != null ? c.email() : existing.preferences().email())
            .param("sms", sms)
            .param(
                "reminders",
                c.reminders() != null ? c.reminders() : existing.preferences().reminders())
            .param("now", Timestamp.from(clock.instant()))
            .param("tenant", tenant.value())
            .param("id", id)
            .param("version", expectedVersion)
            .update();
    if (updated == 0) {
      throw new StaleEditException("Contact");
    }
    removeEmailsAndPhones(tenant, id);
    writeEmailsAndPhones(tenant, id, c);
    return find(tenant, id).orElseThrow();
  }

  /** The company's contacts among these ids (those still there), by id: one query for a batch. */
  public Map<UUID, Contact> findAll(TenantId tenant, java.util.Collection<UUID> ids) {
    Map<UUID, Contact> found = new java.util.HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    jdbc.sql(SELECT + " AND c.id = ANY(:ids::uuid[])")
        .param("tenant", tenant.value())
        .param("ids", ids.toArray(UUID[]::new))
        .query(Contacts::map)
        .list()
        .forEach(c -> found.put(c.id(), c));
    return found;
  }

  public Optional<Contact> find(TenantId tenant, UUID id) {
    return jdbc.sql(SELECT + " AND c.id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .query(Contacts::map)
        .optional();
  }

  /**
   * The contact a number belongs to (an inbound SMS's sender); when several share it, the one
   * created first.
   */
  public Optional<Contact> findByNumber(TenantId tenant, String e164) {
    return jdbc.sql(
            SELECT
                + """
                 AND EXISTS (SELECT 1 FROM contact_phone cp
                            WHERE cp.tenant_id = c.tenant_id AND cp.contact_id = c.id
                              AND cp.number = :number)
                ORDER BY c.created_at, c.id LIMIT 1
                """)
        .param("tenant", tenant.value())
        .param("number", e164)
        .query(Contacts::map)
        .optional();
  }

  /** Contacts whose name, e-mail or number contains {@code query}, by name, a page at a time. */
  public PageOf<Contact> search(TenantId tenant, String query, int page, int size) {
    return search(tenant, query, page, size, Language.EN);
  }

  /**
   * As {@link #search(TenantId, String, int, int)}, names sorted the way a reader of {@code order}
   * expects ("Émilie" with the Es; Danish Æ, Ø, Å after Z), by PostgreSQL's ICU collations.
   */
  public PageOf<Contact> search(TenantId tenant, String query, int page, int size, Language order) {
    String q = query == null ? "" : Text.withoutControlCharacters(query).strip();
    String digits = q.replaceAll("[^0-9]", "");
    String filter =
        """
         AND (:q = '' OR c.name ILIKE :like
              OR EXISTS (SELECT 1 FROM contact_email f WHERE f.tenant_id = c.tenant_id
                         AND f.contact_id = c.id AND f.address ILIKE :like)
              OR (length(:digits) >= 3 AND EXISTS (SELECT 1 FROM contact_phone g
                         WHERE g.tenant_id = c.tenant_id AND g.contact_id = c.id
                         AND g.number LIKE :digitsLike)))
        """;
    int safePage = Math.max(0, page);
    Map<String, Object> params =
        Map.of(
            "tenant",
            tenant.value(),
            "q",
            q,
            "like",
            "%" + escapeLike(q) + "%",
            "digits",
            digits,
            "digitsLike",
            "%" + digits + "%");
    List<Contact> items =
        jdbc.sql(
                SELECT
                    + filter
                    + " ORDER BY c.name COLLATE "
                    + collation(order)
                    + ", c.id LIMIT :limit OFFSET :offset")
            .params(params)
            .param("limit", size)
            .param("offset", (long) safePage * size)
            .query(Contacts::map)
            .list();
    long total =
        jdbc.sql(
                "SELECT count(*) FROM contact c WHERE c.tenant_id = :tenant AND c.anonymised_at IS NULL"
                    + filter)
            .params(params)
            .query(Long.class)
            .single();
    return new PageOf<>(items, safePage, size, total);
  }

  /**
   * Deletes a contact by anonymising it: name, numbers and e-mails go, the row stays so history and
   * money records keep pointing at something. Opt-outs stay with the number (C5).
   */
  @Transactional
  public void delete(TenantId tenant, UUID id) {
    int updated =
        jdbc.sql(
                """
                UPDATE contact SET name = '(deleted)', time_zone = NULL, email_enabled = false,
                       sms_enabled = false, reminders_enabled = false, anonymised_at = :now,
                       updated_at = :now, version = version + 1
                WHERE tenant_id = :tenant AND id = :id AND anonymised_at IS NULL
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("tenant", tenant.value())
            .param("id", id)
            .update();
    if (updated == 0) {
      throw new NotFoundException("Contact");
    }
    removeEmailsAndPhones(tenant, id);
    // Synchronous, in this transaction: the contact's queued messages are cancelled with it.
    events.publishEvent(new ContactDeleted(tenant, id));
  }

  /**
   * The contact's own choice of what to receive, as the customer set it in the portal (issue 11);
   * false when the contact is gone. Opt-outs are {@link OptOuts}' business.
   */
  @Transactional
  public boolean setPreferences(TenantId tenant, UUID id, Contact.Preferences preferences) {
    return jdbc.sql(
                """
                UPDATE contact SET email_enabled = :email, sms_enabled = :sms, reminders_enabled = :reminders,
                       updated_at = :now, version = version + 1
                WHERE tenant_id = :tenant AND id = :id AND anonymised_at IS NULL
                """)
            .param("email", preferences.email())
            .param("sms", preferences.sms())
            .param("reminders", preferences.reminders())
            .param("now", Timestamp.from(clock.instant()))
            .param("tenant", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  /** A number of a contact that another contact of the company also has, with that one's name. */
  public record SharedNumber(String number, String otherContact) {}

  /** The numbers of this contact that other contacts of the company have too (a warning, C1). */
  public List<SharedNumber> sharedNumbers(TenantId tenant, UUID contactId) {
    return jdbc.sql(
            """
            SELECT mine.number, other.name FROM contact_phone mine
            JOIN contact_phone theirs ON theirs.tenant_id = mine.tenant_id
                 AND theirs.number = mine.number AND theirs.contact_id <> mine.contact_id
            JOIN contact other ON other.tenant_id = theirs.tenant_id AND other.id = theirs.contact_id
                 AND other.anonymised_at IS NULL
            WHERE mine.tenant_id = :tenant AND mine.contact_id = :contact
            ORDER BY mine.position, other.name
            """)
        .param("tenant", tenant.value())
        .param("contact", contactId)
        .query((rs, row) -> new SharedNumber(rs.getString(1), rs.getString(2)))
        .list();
  }

  /** The names of these contacts of the company, by id (deleted ones included, as "(deleted)"). */
  public Map<UUID, String> names(TenantId tenant, java.util.Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Map<UUID, String> names = new java.util.HashMap<>();
    jdbc.sql("SELECT id, name FROM contact WHERE tenant_id = :tenant AND id = ANY(:ids)")
        .param("tenant", tenant.value())
        .param("ids", ids.toArray(UUID[]::new))
        .query(rs -> {
          names.put(rs.getObject("id", UUID.class), rs.getString("name"));
        });
    return names;
  }

  /** How many contacts the company has (deleted ones not counted). */
  public long count(TenantId tenant) {
    return jdbc.sql(
            "SELECT count(*) FROM contact WHERE tenant_id = :tenant AND anonymised_at IS NULL")
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  private static String collation(Language language) {
    // Whitelisted names only: they go into the SQL text.
    return switch (language) {
      case DA -> "\"da-x-icu\"";
      case FR -> "\"fr-x-icu\"";
      default -> "\"en-x-icu\"";
    };
  }

  /** How many existing contacts the SMS default would tick (B3): never an opted-out number. */
  public long countSmsDefaultCandidates(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM contact c WHERE " + SMS_DEFAULT_CANDIDATES)
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  /** Ticks SMS for every existing contact with a mobile number that has not opted out (B3). */
  @Transactional
  public int tickSmsForExistingContacts(TenantId tenant) {
    return jdbc.sql(
            "UPDATE contact c SET sms_enabled = true, version = version + 1, updated_at = :now WHERE "
                + SMS_DEFAULT_CANDIDATES)
        .param("now", Timestamp.from(clock.instant()))
        .param("tenant", tenant.value())
        .update();
  }

  private Company company(TenantId tenant) {
    return companies.require(tenant);
  }

  private boolean anyMobileNotOptedOut(TenantId tenant, ContactRules.Checked c) {
    return c.phones().stream()
        .anyMatch(p -> p.type() == PhoneType.MOBILE && !optOuts.isOptedOut(tenant, p.number()));
  }

  private void removeEmailsAndPhones(TenantId tenant, UUID id) {
    jdbc.sql("DELETE FROM contact_email WHERE tenant_id = ? AND contact_id = ?")
        .params(tenant.value(), id)
        .update();
    jdbc.sql("DELETE FROM contact_phone WHERE tenant_id = ? AND contact_id = ?")
        .params(tenant.value(), id)
        .update();
  }

  private void writeEmailsAndPhones(TenantId tenant, UUID id, ContactRules.Checked c) {
    for (int i = 0; i < c.emails().size(); i++) {
      jdbc.sql(
              "INSERT INTO contact_email (tenant_id, contact_id, position, address) VALUES (?, ?, ?, ?)")
          .params(tenant.value(), id, i, c.emails().get(i))
          .update();
    }
    for (int i = 0; i < c.phones().size(); i++) {
      CheckedPhone phone = c.phones().get(i);
      jdbc.sql(
              "INSERT INTO contact_phone (tenant_id, contact_id, position, type, number) VALUES (?, ?, ?, ?, ?)")
          .params(tenant.value(), id, i, phone.type().name(), phone.number())
          .update();
    }
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static Contact map(ResultSet rs, int row) throws SQLException {
    String[] types = strings(rs.getArray("phone_types"));
    String[] numbers = strings(rs.getArray("phone_numbers"));
    Boolean[] optedOut = (Boolean[]) rs.getArray("phone_opted_out").getArray();
    List<ContactPhone> phones = new ArrayList<>(types.length);
    for (int i = 0; i < types.length; i++) {
      phones.add(new ContactPhone(PhoneType.valueOf(types[i]), numbers[i], optedOut[i]));
    }
    String zone = rs.getString("time_zone");
    return new Contact(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        Language.fromCode(rs.getString("language")).orElseThrow(),
        zone == null ? null : ZoneId.of(zone),
        List.of(strings(rs.getArray("emails"))),
        List.copyOf(phones),
        new Preferences(
            rs.getBoolean("email_enabled"),
            rs.getBoolean("sms_enabled"),
            rs.getBoolean("reminders_enabled")),
        rs.getInt("version"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static String[] strings(Array array) throws SQLException {
    return (String[]) array.getArray();
  }
}

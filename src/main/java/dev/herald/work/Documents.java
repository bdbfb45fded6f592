package dev.herald.work;

import dev.herald.contact.Contacts;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.Ids;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Money;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.PageOf;
import dev.herald.shared.StaleEditException;
import dev.herald.shared.TenantId;
import dev.herald.shared.Text;
import dev.herald.tenant.Companies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Quotes and invoices of a company to its customers: numbered per company and kind, lines with a
 * tax rate each, totals in the company's document currency. Drafts can be edited; a sent document
 * cannot change, only move on (viewed, approved or declined, paid).
 */
@Service
public class Documents {

  /** Most lines one document may have. */
  public static final int MAX_LINES = 100;

  private final JdbcClient jdbc;
  private final Contacts contacts;
  private final Companies companies;
  private final DocumentSettingsStore settings;
  private final Clock clock;

  Documents(
      JdbcClient jdbc,
      Contacts contacts,
      Companies companies,
      DocumentSettingsStore settings,
      Clock clock) {
    this.jdbc = jdbc;
    this.contacts = contacts;
    this.companies = companies;
    this.settings = settings;
    this.clock = clock;
  }

  /** The currency of the company's new documents. */
  public Currency currency(TenantId tenant) {
    return settings.of(tenant).currency();
  }

  /** The company's date today, in its time zone. */
  public LocalDate today(TenantId tenant) {
    return LocalDate.ofInstant(clock.instant(), companies.require(tenant).timeZone());
  }

  /** Creates a draft with the next number of its kind, or refuses the input with every problem. */
  @Transactional
  public Document create(TenantId tenant, DocumentInput input) {
    DocumentSettings s = settings.of(tenant);
    Checked checked = check(tenant, input, s, null);
    int number =
        jdbc.sql(
                """
                INSERT INTO document_number (tenant_id, kind, last_number) VALUES (:tenant, :kind, 1)
                ON CONFLICT (tenant_id, kind) DO UPDATE SET last_number = document_number.last_number + 1
                RETURNING last_number
                """)
            .param("tenant", tenant.value())
            .param("kind", checked.kind().code())
            .query(Integer.class)
            .single();
    UUID id = Ids.next();
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql(
            """
            INSERT INTO document (tenant_id, id, kind, number, contact_id, currency, issue_date, due_date,
                                  status, note, subtotal, tax_total, total, created_at, updated_at)
            VALUES (:tenant, :id, :kind, :number, :contact, :currency, :issue, :due, 'draft', :note,
                    :subtotal, :taxTotal, :total, :now, :now)
            """)
        .param("tenant", tenant.value())
        .param("id", id)
        .param("kind", checked.kind().code())
        .param("number", number)
        .param("contact", input.contactId())
        .param("currency", s.currency().getCurrencyCode())
        .param("issue", checked.issue())
        .param("due", checked.due())
        .param("note", checked.note(), java.sql.Types.VARCHAR)
        .param("subtotal", checked.subtotal())
        .param("taxTotal", checked.taxTotal())
        .param("total", checked.subtotal() + checked.taxTotal())
        .param("now", now)
        .update();
    insertLines(tenant, id, checked.lines());
    return require(tenant, id);
  }

  /**
   * Changes a draft (its kind stays); a stale version is a StaleEditException, a sent document is
   * refused at field {@code form}.
   */
  @Transactional
  public Document update(TenantId tenant, UUID id, int version, DocumentInput input) {
    Document current = require(tenant, id);
    if (!current.editable()) {
      throw new InvalidInputException(FieldProblem.of("form", "documents.notEditable"));
    }
    DocumentSettings s = settings.of(tenant);
    Checked checked = check(tenant, input, s, current.kind());
    int updated =
        jdbc.sql(
                """
                UPDATE document SET contact_id = :contact, issue_date = :issue, due_date = :due,
                    note = :note, subtotal = :subtotal, tax_total = :taxTotal, total = :total,
                    currency = :currency, version = version + 1, updated_at = :now
                WHERE tenant_id = :tenant AND id = :id AND version = :version AND status = 'draft'
                """)
            .param("contact", input.contactId())
            .param("issue", checked.issue())
            .param("due", checked.due())
            .param("note", checked.note(), java.sql.Types.VARCHAR)
            .param("subtotal", checked.subtotal())
            .param("taxTotal", checked.taxTotal())
            .param("total", checked.subtotal() + checked.taxTotal())
            .param("currency", s.currency().getCurrencyCode())
            .param("now", Timestamp.from(clock.instant()))
            .param("tenant", tenant.value())
            .param("id", id)
            .param("version", version)
            .update();
    if (updated == 0) {
      throw new StaleEditException("Document");
    }
    jdbc.sql("DELETE FROM document_line WHERE tenant_id = :tenant AND document_id = :id")
        .param("tenant", tenant.value())
        .param("id", id)
        .update();
    insertLines(tenant, id, checked.lines());
    return require(tenant, id);
  }

  public Optional<Document> find(TenantId tenant, UUID id) {
    List<Document> found =
        select(tenant, "d.id = :id", Map.of("id", id), "d.created_at DESC", 1, 0);
    return found.stream().findFirst();
  }

  public Document require(TenantId tenant, UUID id) {
    return find(tenant, id).orElseThrow(() -> new NotFoundException("Document"));
  }

  /** The company's documents among these ids, with their lines, in two queries. */
  public List<Document> all(TenantId tenant, java.util.Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return select(
        tenant,
        "d.id = ANY(:ids::uuid[])",
        Map.of("ids", ids.toArray(UUID[]::new)),
        "d.id",
        ids.size(),
        0);
  }

  /** Newest first, optionally of one kind and one shown status (overdue is worked out). */
  public PageOf<Document> search(
      TenantId tenant, DocumentKind kind, DocumentStatus status, int page, int size) {
    int pageSize = Math.clamp(size, 1, 200);
    int pageNumber = Math.max(0, page);
    StringBuilder where = new StringBuilder("TRUE");
    Map<String, Object> params = new HashMap<>();
    if (kind != null) {
      where.append(" AND d.kind = :kind");
      params.put("kind", kind.code());
    }
    if (status != null) {
      LocalDate today = today(tenant);
      params.put("today", today);
      switch (status) {
        case OVERDUE ->
            where.append(
                " AND d.kind = 'invoice' AND d.status IN ('sent', 'viewed') AND d.due_date < :today");
        case SENT, VIEWED -> {
          where.append(" AND d.status = :status");
          where.append(" AND NOT (d.kind = 'invoice' AND d.due_date < :today)");
          params.put("status", status.code());
        }
        default -> {
          where.append(" AND d.status = :status");
          params.put("status", status.code());
        }
      }
    }
    Map<String, Object> countParams = new HashMap<>(params);
    countParams.put("tenant", tenant.value());
    long total =
        jdbc.sql("SELECT count(*) FROM document d WHERE d.tenant_id = :tenant AND " + where)
            .params(countParams)
            .query(Long.class)
            .single();
    List<Document> items =
        select(
            tenant,
            where.toString(),
            params,
            "d.created_at DESC, d.id DESC",
            pageSize,
            (long) pageNumber * pageSize);
    return new PageOf<>(items, pageNumber, pageSize, total);
  }

  /** A contact's documents that were sent (never drafts), newest first: what the portal shows. */
  public List<Document> sentTo(TenantId tenant, UUID contactId) {
    return select(
        tenant,
        "d.contact_id = :contact AND d.status <> 'draft'",
        Map.of("contact", contactId),
        "d.created_at DESC, d.id DESC",
        200,
        0);
  }

  /**
   * Marks the document sent (a draft) in the caller's transaction; a re-sent one keeps its status.
   */
  @Transactional
  public void markSent(
      TenantId tenant, UUID id, String sentBy, UUID smsMessage, UUID emailMessage) {
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql(
            """
            UPDATE document SET status = CASE WHEN status = 'draft' THEN 'sent' ELSE status END,
                sent_at = coalesce(sent_at, :now), version = version + 1, updated_at = :now
            WHERE tenant_id = :tenant AND id = :id
            """)
        .param("now", now)
        .param("tenant", tenant.value())
        .param("id", id)
        .update();
    jdbc.sql(
            """
            INSERT INTO document_sending (tenant_id, id, document_id, sent_at, sent_by, sms_message_id, email_message_id)
            VALUES (:tenant, :id, :document, :now, :by, :sms, :email)
            """)
        .param("tenant", tenant.value())
        .param("id", Ids.next())
        .param("document", id)
        .param("now", now)
        .param("by", sentBy)
        .param("sms", smsMessage, java.sql.Types.OTHER)
        .param("email", emailMessage, java.sql.Types.OTHER)
        .update();
  }

  /** One sending of a document: when, by whom, and the messages it queued. */
  public record Sending(Instant sentAt, String sentBy, UUID smsMessageId, UUID emailMessageId) {}

  public List<Sending> sendings(TenantId tenant, UUID documentId) {
    return jdbc.sql(
            """
            SELECT sent_at, sent_by, sms_message_id, email_message_id FROM document_sending
            WHERE tenant_id = :tenant AND document_id = :id ORDER BY sent_at DESC, id DESC
            """)
        .param("tenant", tenant.value())
        .param("id", documentId)
        .query((rs, row) ->
            new Sending(
                rs.getTimestamp("sent_at").toInstant(),
                rs.getString("sent_by"),
                rs.getObject("sms_message_id", UUID.class),
                rs.getObject("email_message_id", UUID.class)))
        .list();
  }

  /** The customer opened it in the portal: a sent document becomes viewed (once). */
  @Transactional
  public boolean markViewed(TenantId tenant, UUID id) {
    return jdbc.sql(
                """
                UPDATE document SET status = 'viewed', viewed_at = :now, updated_at = :now
                WHERE tenant_id = :tenant AND id = :id AND status = 'sent'
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("tenant", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  /**
   * The customer approved or declined a sent quote, with an optional comment; false when the quote
   * was already answered (or is not a sent quote).
   */
  @Transactional
  public boolean answer(TenantId tenant, UUID id, boolean approved, String comment) {
    String text = comment == null || comment.isBlank() ? null : comment.strip();
    if (text != null && (text.length() > 2000 || Text.problem(text, true).isPresent())) {
      throw new InvalidInputException(FieldProblem.of("comment", "documents.comment.invalid"));
    }
    return jdbc.sql(
                """
                UPDATE document SET status = :status, answered_at = :now, answer_comment = :comment,
                    version = version + 1, updated_at = :now
                WHERE tenant_id = :tenant AND id = :id AND kind = 'quote' AND status IN ('sent', 'viewed')
                """)
            .param("status", approved ? "approved" : "declined")
            .param("now", Timestamp.from(clock.instant()))
            .param("comment", text, java.sql.Types.VARCHAR)
            .param("tenant", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  /** The company recorded the payment of a sent invoice; false when it was paid already. */
  @Transactional
  public boolean markPaid(TenantId tenant, UUID id) {
    return jdbc.sql(
                """
                UPDATE document SET status = 'paid', paid_at = :now, version = version + 1, updated_at = :now
                WHERE tenant_id = :tenant AND id = :id AND kind = 'invoice' AND status IN ('sent', 'viewed')
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("tenant", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  // ---- checking input

  private record Checked(
      DocumentKind kind,
      LocalDate issue,
      LocalDate due,
      String note,
      List<Document.Line> lines,
      long subtotal,
      long taxTotal) {}

  private Checked check(
      TenantId tenant, DocumentInput input, DocumentSettings s, DocumentKind fixedKind) {
    List<FieldProblem> problems = new ArrayList<>();
    DocumentKind kind = fixedKind;
    if (kind == null) {
      kind = DocumentKind.fromCode(input.kind()).orElse(null);
      if (kind == null) {
        problems.add(FieldProblem.of("kind", "documents.kind.invalid"));
      }
    }
    if (input.contactId() == null) {
      problems.add(FieldProblem.of("contactId", "documents.contact.required"));
    } else if (contacts.find(tenant, input.contactId()).isEmpty()) {
      problems.add(FieldProblem.of("contactId", "documents.contact.unknown"));
    }
    LocalDate today = today(tenant);
    LocalDate issue = date(problems, "issueDate", input.issueDate(), today);
    LocalDate due =
        date(
            problems,
            "dueDate",
            input.dueDate(),
            issue == null ? null : issue.plusDays(s.paymentDays()));
    if (issue != null && due != null && due.isBefore(issue)) {
      problems.add(FieldProblem.of("dueDate", "documents.dueDate.beforeIssue"));
    }
    String note = input.note() == null || input.note().isBlank() ? null : input.note().strip();
    if (note != null && (note.length() > 2000 || Text.problem(note, true).isPresent())) {
      problems.add(FieldProblem.of("note", "documents.note.invalid", 2000));
    }
    Currency currency = s.currency();
    List<Document.Line> lines = new ArrayList<>();
    long subtotal = 0;
    long taxTotal = 0;
    List<DocumentInput.LineInput> given =
        input.lines().stream().filter(l -> l != null && !l.blank()).toList();
    if (given.isEmpty()) {
      problems.add(FieldProblem.of("lines", "documents.lines.required"));
    } else if (given.size() > MAX_LINES) {
      problems.add(FieldProblem.of("lines", "documents.lines.tooMany", MAX_LINES));
    }
    int index = 0;
    for (DocumentInput.LineInput line : input.lines()) {
      int i = index++;
      if (line == null || line.blank()) {
        continue;
      }
      String field = "lines[" + i + "].";
      String description = line.description() == null ? "" : line.description().strip();
      if (description.isEmpty()) {
        problems.add(FieldProblem.of(field + "description", "documents.line.description.required"));
      } else if (description.length() > 500 || Text.problem(description, false).isPresent()) {
        problems.add(
            FieldProblem.of(field + "description", "documents.line.description.invalid", 500));
      }
      BigDecimal quantity = decimal(line.quantity(), 3);
      if (quantity == null
          || quantity.signum() <= 0
          || quantity.compareTo(new BigDecimal("999999999")) > 0) {
        problems.add(FieldProblem.of(field + "quantity", "documents.line.quantity.invalid"));
      }
      BigDecimal price = decimal(line.unitPrice(), currency.getDefaultFractionDigits());
      if (price == null
          || price.signum() < 0
          || price.compareTo(new BigDecimal("10000000000")) >= 0) {
        problems.add(
            FieldProblem.of(
                field + "unitPrice",
                "documents.line.unitPrice.invalid",
                currency.getCurrencyCode()));
      }
      BigDecimal rate =
          line.taxRate() == null || line.taxRate().isBlank()
              ? BigDecimal.ZERO
              : decimal(line.taxRate(), 3);
      if (rate == null || rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0) {
        problems.add(FieldProblem.of(field + "taxRate", "documents.line.taxRate.invalid"));
      }
      if (quantity != null && price != null && rate != null && problems.isEmpty()) {
        long unit = price.movePointRight(currency.getDefaultFractionDigits()).longValueExact();
        long net =
            quantity
                .multiply(BigDecimal.valueOf(unit))
                .setScale(0, RoundingMode.HALF_EVEN)
                .longValueExact();
        long tax =
            BigDecimal.valueOf(net)
                .multiply(rate)
                .movePointLeft(2)
                .setScale(0, RoundingMode.HALF_EVEN)
                .longValueExact();
        subtotal += net;
        taxTotal += tax;
        lines.add(
            new Document.Line(
                description,
                quantity.stripTrailingZeros(),
                new Money(unit, currency),
                rate.stripTrailingZeros(),
                new Money(net, currency),
                new Money(tax, currency)));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return new Checked(kind, issue, due, note, lines, subtotal, taxTotal);
  }

  private static LocalDate date(
      List<FieldProblem> problems, String field, String text, LocalDate blank) {
    if (text == null || text.isBlank()) {
      return blank;
    }
    try {
      LocalDate date = LocalDate.parse(text.strip());
      if (date.getYear() < 2000 || date.getYear() > 2999) {
        throw new DateTimeParseException("out of range", text, 0);
      }
      return date;
    } catch (DateTimeParseException e) {
      problems.add(FieldProblem.of(field, "documents.date.invalid"));
      return null;
    }
  }

  /**
   * A number as people write it: {@code 1250.50}, {@code 1250,50}, {@code 1 250,50} or {@code
   * 1,250.50}; null when it is not one or has more than {@code scale} decimals.
   */
  static BigDecimal decimal(String text, int scale) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String s =
        text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("'", "");
    int comma = s.lastIndexOf(',');
    int dot = s.lastIndexOf('.');
    if (comma >= 0 && dot >= 0) {
      char decimalMark = comma > dot ? ',' : '.';
      char grouping = decimalMark == ',' ? '.' : ',';
      s = s.replace(String.valueOf(grouping), "").replace(decimalMark, '.');
    } else if (comma >= 0) {
      s = s.replace(',', '.');
    }
    if (!s.matches("-?[0-9]{1,15}(\\.[0-9]{1,6})?")) {
      return null;
    }
    BigDecimal value = new BigDecimal(s);
    return value.stripTrailingZeros().scale() > scale ? null : value;
  }

  // ---- reading

  private List<Document> select(
      TenantId tenant,
      String where,
      Map<String, Object> params,
      String order,
      int limit,
      long offset) {
    Map<String, Object> all = new LinkedHashMap<>(params);
    all.put("tenant", tenant.value());
    all.put("limit", limit);
    all.put("offset", offset);
    List<Document> docs =
        jdbc.sql(
                """
                SELECT d.*, c.name AS contact_name FROM document d
                JOIN contact c ON c.tenant_id = d.tenant_id AND c.id = d.contact_id
                WHERE d.tenant_id = :tenant AND %s ORDER BY %s LIMIT :limit OFFSET :offset
                """
                    .formatted(where, order))
            .params(all)
            .query((rs, row) -> map(rs, List.of()))
            .list();
    if (docs.isEmpty()) {
      return docs;
    }
    Map<UUID, List<Document.Line>> lines = new HashMap<>();
    jdbc.sql(
            """
            SELECT l.*, d.currency FROM document_line l
            JOIN document d ON d.tenant_id = l.tenant_id AND d.id = l.document_id
            WHERE l.tenant_id = :tenant AND l.document_id = ANY(:ids::uuid[])
            ORDER BY l.document_id, l.position
            """)
        .param("tenant", tenant.value())
        .param("ids", docs.stream().map(Document::id).toArray(UUID[]::new))
        .query(rs -> {
          Currency currency = Currency.getInstance(rs.getString("currency"));
          lines
              .computeIfAbsent(rs.getObject("document_id", UUID.class), k -> new ArrayList<>())
              .add(
                  new Document.Line(
                      rs.getString("description"),
                      rs.getBigDecimal("quantity").stripTrailingZeros(),
                      new Money(rs.getLong("unit_price"), currency),
                      rs.getBigDecimal("tax_rate").stripTrailingZeros(),
                      new Money(rs.getLong("net_amount"), currency),
                      new Money(rs.getLong("tax_amount"), currency)));
        });
    return docs.stream().map(d -> withLines(d, lines.getOrDefault(d.id(), List.of()))).toList();
  }

  private void insertLines(TenantId tenant, UUID id, List<Document.Line> lines) {
    for (int i = 0; i < lines.size(); i++) {
      Document.Line line = lines.get(i);
      jdbc.sql(
              """
              INSERT INTO document_line (tenant_id, document_id, position, description, quantity,
                                         unit_price, tax_rate, net_amount, tax_amount)
              VALUES (:tenant, :document, :position, :description, :quantity, :unitPrice, :taxRate,
                      :net, :tax)
              """)
          .param("tenant", tenant.value())
          .param("document", id)
          .param("position", i)
          .param("description", line.description())
          .param("quantity", line.quantity())
          .param("unitPrice", line.unitPrice().minorUnits())
          .param("taxRate", line.taxRate())
          .param("net", line.net().minorUnits())
          .param("tax", line.tax().minorUnits())
          .update();
    }
  }

  private static Document withLines(Document d, List<Document.Line> lines) {
    return new Document(
        d.id(),
        d.kind(),
        d.number(),
        d.contactId(),
        d.contactName(),
        d.issueDate(),
        d.dueDate(),
        d.status(),
        d.note(),
        List.copyOf(lines),
        d.subtotal(),
        d.taxTotal(),
        d.total(),
        d.sentAt(),
        d.viewedAt(),
        d.answeredAt(),
        d.answerComment(),
        d.paidAt(),
        d.version(),
        d.createdAt());
  }

  private static Document map(ResultSet rs, List<Document.Line> lines) throws SQLException {
    Currency currency = Currency.getInstance(rs.getString("currency"));
    return new Document(
        rs.getObject("id", UUID.class),
        DocumentKind.fromCode(rs.getString("kind")).orElseThrow(),
        rs.getInt("number"),
        rs.getObject("contact_id", UUID.class),
        rs.getString("contact_name"),
        rs.getObject("issue_date", LocalDate.class),
        rs.getObject("due_date", LocalDate.class),
        DocumentStatus.fromCode(rs.getString("status")).orElseThrow(),
        rs.getString("note"),
        lines,
        new Money(rs.getLong("subtotal"), currency),
        new Money(rs.getLong("tax_total"), currency),
        new Money(rs.getLong("total"), currency),
        instant(rs, "sent_at"),
        instant(rs, "viewed_at"),
        instant(rs, "answered_at"),
        rs.getString("answer_comment"),
        instant(rs, "paid_at"),
        rs.getInt("version"),
        rs.getTimestamp("created_at").toInstant());
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}

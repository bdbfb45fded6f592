package dev.herald.notification;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import dev.herald.shared.Text;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.PublicUrls;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Templates per communication kind and language (F1): the company's own texts where it changed
 * them, Herald's defaults elsewhere. A text naming an unknown merge field is refused with its name.
 */
@Service
public class MessageTemplates {

  /** Portal links are {@code <public address>/p/<22 characters>} (128 bits in base64url). */
  public static final String PORTAL_PATH = "/p/";

  public static final int PORTAL_TOKEN_LENGTH = 22;

  private final JdbcClient jdbc;
  private final Companies companies;
  private final SmsPreviews previews;
  private final PublicUrls urls;
  private final Clock clock;

  MessageTemplates(
      JdbcClient jdbc, Companies companies, SmsPreviews previews, PublicUrls urls, Clock clock) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.previews = previews;
    this.urls = urls;
    this.clock = clock;
  }

  /** The template the company uses for this kind in this language. */
  public MessageTemplate get(TenantId tenant, CommunicationKind kind, Language language) {
    return stored(tenant, kind, language).orElseGet(() -> DefaultTemplates.of(kind, language));
  }

  /** Herald's default for this kind and language. */
  public MessageTemplate defaultOf(CommunicationKind kind, Language language) {
    return DefaultTemplates.of(kind, language);
  }

  /** Every kind's template in this language, in the order of {@link CommunicationKind}. */
  public List<MessageTemplate> all(TenantId tenant, Language language) {
    List<MessageTemplate> all = new ArrayList<>();
    for (CommunicationKind kind : CommunicationKind.values()) {
      all.add(get(tenant, kind, language));
    }
    return all;
  }

  /**
   * Stores the company's texts for a kind and language, or refuses them all at once: a blank text,
   * an unknown merge field (named), control characters, an SMS over the segment cap with sample
   * values.
   */
  @Transactional
  public MessageTemplate save(
      TenantId tenant,
      CommunicationKind kind,
      Language language,
      String smsText,
      String emailSubject,
      String emailBody) {
    List<FieldProblem> problems = new ArrayList<>();
    check(problems, "smsText", smsText, true);
    check(problems, "emailSubject", emailSubject, false);
    check(problems, "emailBody", emailBody, true);
    if (problems.stream().noneMatch(p -> p.field().equals("smsText"))) {
      String sample = MergeFields.render(smsText, sample(tenant, kind, language), language);
      previews.preview(tenant, sample, null).problem("smsText").ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    jdbc.sql(
            """
            INSERT INTO message_template (tenant_id, kind, language, sms_text, email_subject, email_body, updated_at)
            VALUES (:tenant, :kind, :language, :sms, :subject, :body, :now)
            ON CONFLICT (tenant_id, kind, language) DO UPDATE SET
                sms_text = EXCLUDED.sms_text, email_subject = EXCLUDED.email_subject,
                email_body = EXCLUDED.email_body, updated_at = EXCLUDED.updated_at
            """)
        .param("tenant", tenant.value())
        .param("kind", kind.code())
        .param("language", language.code())
        .param("sms", smsText.strip())
        .param("subject", emailSubject.strip())
        .param("body", emailBody.strip())
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return get(tenant, kind, language);
  }

  /** Goes back to Herald's default text for this kind and language. */
  @Transactional
  public void reset(TenantId tenant, CommunicationKind kind, Language language) {
    jdbc.sql(
            "DELETE FROM message_template WHERE tenant_id = :tenant AND kind = :kind AND language = :language")
        .param("tenant", tenant.value())
        .param("kind", kind.code())
        .param("language", language.code())
        .update();
  }

  /**
   * Sample values for previews and counters: the company's name, a customer of the language, an
   * amount in the country's currency, a due date two weeks ahead and a portal link of the real
   * length.
   */
  public MergeValues sample(TenantId tenant, CommunicationKind kind, Language language) {
    Company company = companies.require(tenant);
    String customer =
        switch (language) {
          case EN -> "Alex Morgan";
          case FR -> "Émilie Laurent";
          case DA -> "Mette Hansen";
        };
    boolean quote =
        kind == CommunicationKind.QUOTE_SENT || kind == CommunicationKind.QUOTE_REMINDER;
    return new MergeValues(
        customer,
        company.name(),
        quote ? "Q-00042" : "INV-00042",
        new Money(125_000, currencyOf(company.country())),
        LocalDate.ofInstant(clock.instant(), company.timeZone()).plusDays(14),
        sampleLink());
  }

  /** A portal link as long as a real one, for counting an SMS before its link exists. */
  public String sampleLink() {
    return urls.base() + PORTAL_PATH + "x".repeat(PORTAL_TOKEN_LENGTH);
  }

  /** The currency of a country (DKK for DK), euros when it has none of its own. */
  public static Currency currencyOf(String country) {
    try {
      Currency currency = Currency.getInstance(Locale.of("", country));
      return currency == null ? Currency.getInstance("EUR") : currency;
    } catch (IllegalArgumentException e) {
      return Currency.getInstance("EUR");
    }
  }

  static void check(List<FieldProblem> problems, String field, String text, boolean multiline) {
    if (text == null || text.isBlank()) {
      problems.add(FieldProblem.of(field, "templates.required"));
      return;
    }
    Text.problem(text, multiline).ifPresent(code -> problems.add(FieldProblem.of(field, code)));
    for (String unknown : MergeFields.unknown(text)) {
      problems.add(
          FieldProblem.of(
              field,
              "templates.unknownField",
              "{" + unknown + "}",
              String.join(", ", MergeFields.NAMES.stream().map(n -> "{" + n + "}").toList())));
    }
  }

  private Optional<MessageTemplate> stored(
      TenantId tenant, CommunicationKind kind, Language language) {
    return jdbc.sql(
            """
            SELECT sms_text, email_subject, email_body FROM message_template
            WHERE tenant_id = :tenant AND kind = :kind AND language = :language
            """)
        .param("tenant", tenant.value())
        .param("kind", kind.code())
        .param("language", language.code())
        .query((rs, row) ->
            new MessageTemplate(
                kind,
                language,
                rs.getString("sms_text"),
                rs.getString("email_subject"),
                rs.getString("email_body"),
                true))
        .optional();
  }
}

package dev.herald.demo;

import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.billing.Pricing;
import dev.herald.billing.SmsSubscriptions;
import dev.herald.contact.ContactInput;
import dev.herald.contact.ContactInput.PhoneInput;
import dev.herald.contact.Contacts;
import dev.herald.shared.Language;
import dev.herald.shared.TenantId;
import dev.herald.tenant.ApiKeys;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.HeraldUser;
import dev.herald.tenant.NewCompany;
import dev.herald.tenant.Plan;
import dev.herald.tenant.Role;
import dev.herald.tenant.Users;
import dev.herald.work.Document;
import dev.herald.work.DocumentInput;
import dev.herald.work.DocumentInput.LineInput;
import dev.herald.work.Documents;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates the demo company with its owner, an operator, an API key and a few contacts, once. */
@Service
public class DemoData {

  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final SecureRandom random = new SecureRandom();

  private final JdbcClient jdbc;
  private final Companies companies;
  private final Users users;
  private final ApiKeys apiKeys;
  private final Contacts contacts;
  private final BillingAccounts accounts;
  private final Credits credits;
  private final Pricing pricing;
  private final SmsSubscriptions subscriptions;
  private final Documents documents;
  private final Clock clock;

  /** The owner of the second demo company, in Québec on monthly blocks (the English source). */
  static final String QUEBEC_OWNER = "owner@quebec.demo.herald.test";

  DemoData(
      JdbcClient jdbc,
      Companies companies,
      Users users,
      ApiKeys apiKeys,
      Contacts contacts,
      BillingAccounts accounts,
      Credits credits,
      Pricing pricing,
      SmsSubscriptions subscriptions,
      Documents documents,
      Clock clock) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.users = users;
    this.apiKeys = apiKeys;
    this.contacts = contacts;
    this.accounts = accounts;
    this.credits = credits;
    this.pricing = pricing;
    this.subscriptions = subscriptions;
    this.documents = documents;
    this.clock = clock;
  }

  /** What the demo offers to log in with; secrets only when they were just created or fixed. */
  public record DemoLogins(
      boolean created,
      String ownerEmail,
      String operatorEmail,
      Optional<String> password,
      Optional<String> apiKey,
      TenantId tenantId,
      String quebecOwnerEmail) {}

  /**
   * Creates the demo unless it exists. Two instances starting at once both try; the primary key of
   * {@code demo_seed} lets one win and the other wait for it and then find the demo made.
   */
  @Transactional
  DemoLogins ensure(DemoSettings settings) {
    Optional<TenantId> existing = existingDemo();
    if (existing.isPresent()) {
      return refresh(settings, existing.get());
    }
    Company company =
        companies.create(
            new NewCompany(
                "Nordlys Haveservice",
                Plan.STANDARD,
                "DK",
                ZoneId.of("Europe/Copenhagen"),
                Language.DA,
                "Nordlys"));
    int seeded =
        jdbc.sql(
                """
                INSERT INTO demo_seed (id, tenant_id, created_at) VALUES (1, :tenant, :now)
                ON CONFLICT (id) DO NOTHING
                """)
            .param("tenant", company.id().value())
            .param("now", Timestamp.from(clock.instant()))
            .update();
    if (seeded == 0) {
      // Another instance seeded meanwhile; our company goes with the rollback.
      throw new DemoSeededMeanwhile();
    }
    companies.setSmsUnlocked(company.id(), true);
    companies.setSmsDefaultOn(company.id(), true);
    String password = settings.password() != null ? settings.password() : randomPassword();
    users.create(company.id(), settings.ownerEmail(), password, "Mette Nordlys", Role.OWNER);
    if (users.findByEmail(settings.operatorEmail()).isEmpty()) {
      users.create(null, settings.operatorEmail(), password, "Herald Operator", Role.OPERATOR);
    }
    String key =
        settings.apiKey() != null
            ? settings.apiKey()
            : apiKeys.issue(company.id(), "Demo key").secret();
    if (settings.apiKey() != null) {
      apiKeys.register(company.id(), "Demo key", key);
    }
    demoContacts().forEach(contact -> contacts.create(company.id(), contact));
    setUpPacks(company);
    seedDocuments(company.id());
    setUpQuebec(password);
    return new DemoLogins(
        true,
        settings.ownerEmail(),
        settings.operatorEmail(),
        Optional.of(password),
        Optional.of(key),
        company.id(),
        QUEBEC_OWNER);
  }

  Optional<TenantId> existingDemo() {
    return jdbc.sql("SELECT tenant_id FROM demo_seed WHERE id = 1")
        .query(java.util.UUID.class)
        .optional()
        .map(TenantId::new);
  }

  /**
   * On later starts, a fixed password or key from the environment is made to work, and a demo made
   * before it had documents gets them (once: the seed row is locked while it looks).
   */
  private DemoLogins refresh(DemoSettings settings, TenantId tenant) {
    jdbc.sql("SELECT id FROM demo_seed WHERE id = 1 FOR UPDATE").query(Integer.class).optional();
    seedDocuments(tenant);
    if (settings.password() != null) {
      for (String email : List.of(settings.ownerEmail(), settings.operatorEmail())) {
        users
            .findByEmail(email)
            .map(HeraldUser::id)
            .ifPresent(id -> users.changePassword(id, settings.password()));
      }
    }
    if (settings.apiKey() != null) {
      apiKeys.register(tenant, "Demo key", settings.apiKey());
    }
    return new DemoLogins(
        false,
        settings.ownerEmail(),
        settings.operatorEmail(),
        Optional.ofNullable(settings.password()),
        Optional.ofNullable(settings.apiKey()),
        tenant,
        QUEBEC_OWNER);
  }

  /**
   * A few quotes and invoices for the newcomer to look at (C4, D1, D3): an invoice paid, an invoice
   * overdue by two days (its first reminder goes tomorrow at the company's hour), a quote sent and
   * waiting for an answer, and a draft of each kind. Dates are relative to the first start. Sent
   * ones are marked sent without queuing anything (no credit used, no message at start-up); sending
   * again from the document's page shows the whole loop. Nothing when the company has documents
   * already or the demo contacts are gone.
   */
  void seedDocuments(TenantId tenant) {
    if (documents.search(tenant, null, null, 0, 1).total() > 0) {
      return;
    }
    Map<String, UUID> byName =
        contacts.search(tenant, "", 0, 50).items().stream()
            .collect(
                Collectors.toMap(
                    dev.herald.contact.Contact::name, dev.herald.contact.Contact::id, (a, b) -> a));
    Function<String, UUID> who = byName::get;
    UUID anders = who.apply("Anders Jensen");
    UUID sofie = who.apply("Sofie Nielsen");
    UUID claire = who.apply("Claire Dubois");
    UUID james = who.apply("James Walker");
    if (anders == null || sofie == null || claire == null || james == null) {
      return;
    }
    LocalDate today = documents.today(tenant);
    Document paid =
        document(
            tenant,
            "invoice",
            anders,
            today.minusDays(30),
            today.minusDays(16),
            new LineInput("Hækklipning, 40 m", "6", "450", "25"),
            new LineInput("Bortkørsel af haveaffald", "1", "350", "25"));
    documents.markSent(tenant, paid.id(), "Mette Nordlys", null, null);
    documents.markPaid(tenant, paid.id());
    Document overdue =
        document(
            tenant,
            "invoice",
            sofie,
            today.minusDays(16),
            today.minusDays(2),
            new LineInput("Græsslåning, september", "4", "395", "25"),
            new LineInput("Gødning af plæne", "1", "620", "25"));
    documents.markSent(tenant, overdue.id(), "Mette Nordlys", null, null);
    Document quote =
        document(
            tenant,
            "quote",
            claire,
            today,
            today.plusDays(30),
            new LineInput("Anlæg af staudebed, 12 m²", "1", "8400", "25"),
            new LineInput("Planter og jord", "1", "3150", "25"));
    documents.markSent(tenant, quote.id(), "Mette Nordlys", null, null);
    document(
        tenant,
        "quote",
        james,
        today,
        today.plusDays(30),
        new LineInput("Beskæring af frugttræer", "3", "600", "25"));
    document(
        tenant,
        "invoice",
        anders,
        today,
        today.plusDays(14),
        new LineInput("Vintertildækning af bede", "2", "450", "25"));
  }

  private Document document(
      TenantId tenant,
      String kind,
      UUID contact,
      LocalDate issue,
      LocalDate due,
      LineInput... lines) {
    return documents.create(
        tenant,
        new DocumentInput(kind, contact, issue.toString(), due.toString(), null, List.of(lines)));
  }

  /** The Danish company on prepaid packs (the Danish source): DKK, some credit left. */
  private void setUpPacks(Company company) {
    if (pricing.packs(java.util.Currency.getInstance("DKK")).isEmpty()) {
      pricing.addPack("DKK", "500", "250.00");
      pricing.addPack("DKK", "1000", "450.00");
      pricing.addPack("DKK", "2500", "1000.00");
    }
    accounts.choose(company.id(), "packs", "DKK");
    accounts.setBuyerDetails(
        company.id(), "Nordlys Haveservice ApS", "Nørregade 7\n8000 Aarhus C", null, "DK87654321");
    credits.grant(company.id(), 120, "demo-credit", "demo credit");
  }

  /**
   * A second company in Québec on monthly blocks (CAD, GST and QST), unlocked at the first start.
   */
  private void setUpQuebec(String password) {
    Company quebec =
        companies.create(
            new NewCompany(
                "Toitures Beaulieu",
                Plan.STANDARD,
                "CA",
                ZoneId.of("America/Toronto"),
                Language.FR,
                "Beaulieu"));
    users.create(quebec.id(), QUEBEC_OWNER, password, "Josée Beaulieu", Role.OWNER);
    List.of(
            contact(
                "Marc Tremblay", "fr", "marc@example.ca", new PhoneInput("MOBILE", "514 555 0142")),
            contact(
                "Emily Roy", "en", "emily@example.ca", new PhoneInput("MOBILE", "438 555 0199")))
        .forEach(c -> contacts.create(quebec.id(), c));
    accounts.choose(quebec.id(), "blocks", "CAD");
    accounts.setBuyerDetails(
        quebec.id(),
        "Toitures Beaulieu inc.",
        "1200 rue Saint-Denis\nMontréal QC H2X 3J6",
        "CA-QC",
        null);
    companies.setSmsDefaultOn(quebec.id(), true);
    subscriptions.request(quebec.id());
    subscriptions.unlock(quebec.id());
  }

  private static List<ContactInput> demoContacts() {
    return List.of(
        contact(
            "Anders Jensen", "da", "anders@example.dk", new PhoneInput("MOBILE", "20 12 34 56")),
        contact(
            "Sofie Nielsen",
            "da",
            "sofie@example.dk",
            new PhoneInput("MOBILE", "31 23 45 67"),
            new PhoneInput("HOME", "33 12 34 56")),
        contact(
            "Claire Dubois",
            "fr",
            "claire@example.fr",
            new PhoneInput("MOBILE", "+33 6 12 34 56 78")),
        contact("James Walker", "en", "james@example.co.uk"));
  }

  private static ContactInput contact(
      String name, String language, String email, PhoneInput... phones) {
    return new ContactInput(
        name, language, null, List.of(email), List.of(phones), null, null, null);
  }

  private static String randomPassword() {
    StringBuilder sb = new StringBuilder(14);
    for (int i = 0; i < 14; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  static final class DemoSeededMeanwhile extends RuntimeException {
    DemoSeededMeanwhile() {
      super("The demo was created by another instance meanwhile", null, false, false);
    }
  }
}

package dev.herald.notification;

import dev.herald.shared.Language;
import dev.herald.tenant.ApiKeys;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.NewCompany;
import dev.herald.tenant.Plan;
import dev.herald.tenant.Role;
import dev.herald.tenant.Users;
import java.time.ZoneId;
import java.util.UUID;

/**
 * Companies of their own for tests that change SMS text settings: the demo company is shared by
 * every test in the JVM, and the browser test relies on its defaults.
 */
final class SmsTextTestCompanies {

  static final String PASSWORD = "a-password-for-sms-tests";

  private SmsTextTestCompanies() {}

  record TestCompany(Company company, String apiKey, String ownerEmail) {}

  static TestCompany aCompany(Companies companies, ApiKeys apiKeys, Users users) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Company company =
        companies.create(
            new NewCompany(
                "SMS test " + tag,
                Plan.STANDARD,
                "FR",
                ZoneId.of("Europe/Paris"),
                Language.FR,
                "Test"));
    String key = apiKeys.issue(company.id(), "test key").secret();
    String owner = "owner-" + tag + "@sms.herald.test";
    users.create(company.id(), owner, PASSWORD, "Owner " + tag, Role.OWNER);
    return new TestCompany(company, key, owner);
  }
}

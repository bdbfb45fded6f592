package dev.herald.support;

import dev.herald.billing.BillingAccounts;
import dev.herald.shared.TenantId;
import dev.herald.tenant.ApiKeys;
import dev.herald.tenant.Companies;
import dev.herald.tenant.CompanySettings;
import dev.herald.tenant.NewUser;
import dev.herald.tenant.Onboarding;
import dev.herald.tenant.Role;
import dev.herald.tenant.Users;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Fixtures: companies of their own for tests that must not share rows with others. */
@Component
public class TestCompanies {

  public static final String PASSWORD = "a-test-password";
  private static final AtomicInteger counter = new AtomicInteger();

  private final Onboarding onboarding;
  private final Companies companies;
  private final ApiKeys apiKeys;
  private final Users users;
  private final BillingAccounts billing;

  TestCompanies(
      Onboarding onboarding,
      Companies companies,
      ApiKeys apiKeys,
      Users users,
      BillingAccounts billing) {
    this.onboarding = onboarding;
    this.companies = companies;
    this.apiKeys = apiKeys;
    this.users = users;
    this.billing = billing;
  }

  /** A company with its owner and an API key. */
  public record TestCompany(TenantId id, String name, String ownerEmail, String apiKey) {}

  public TestCompany aDanishCompany(boolean smsUnlocked, boolean smsDefaultOn) {
    return aCompany("DK", "Europe/Copenhagen", "da", "STANDARD", smsUnlocked, smsDefaultOn);
  }

  public TestCompany aCompany(
      String country,
      String zone,
      String language,
      String plan,
      boolean smsUnlocked,
      boolean smsDefaultOn) {
    int n = counter.incrementAndGet();
    String name = "Test company " + n + " " + System.nanoTime();
    String owner = "owner" + n + "." + System.nanoTime() + "@test.herald";
    var company =
        onboarding.onboard(
            new CompanySettings(name, country, zone, language, null),
            plan,
            new NewUser(owner, "Owner " + n, "OWNER", PASSWORD));
    if (smsUnlocked) {
      // As an operator does it: a model first (monthly blocks, postpaid, so tests that are not
      // about credit never run out of it), then the unlock.
      billing.choose(
          company.id(), "blocks", BillingAccounts.defaultCurrency(country).getCurrencyCode());
    }
    companies.setSmsUnlocked(company.id(), smsUnlocked);
    companies.setSmsDefaultOn(company.id(), smsDefaultOn);
    String key = apiKeys.issue(company.id(), "test key").secret();
    return new TestCompany(company.id(), name, owner, key);
  }

  /** Adds a user with the given role to the company; the password is {@link #PASSWORD}. */
  public String aUser(TestCompany company, Role role) {
    String email = role.name().toLowerCase() + "." + System.nanoTime() + "@test.herald";
    users.create(company.id(), email, PASSWORD, role.name() + " user", role);
    return email;
  }
}
